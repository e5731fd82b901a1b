import BatonCore

/// w8_policy: what a policy check costs. 100 rules of the kinds a production policy has (tool
/// globs, plain tool names, other kinds of action, risk and effect conditions, subject
/// conditions, predicates over the arguments, the budget and the subject, approvals,
/// redactions, a rate limit) decide one high-risk tool call 100,000 times (target ≤ 5 µs each).
/// The rule that decides is the 97th, so every rule before it that could apply to this tool call
/// is considered first: 82 rules apply to tool calls (20 of them by plain names, which the index
/// skips for another name); 9 match the call, and their predicates are evaluated (and do not
/// hold). `decide_dense` is the same with all 20 predicate rules written for the payment tools,
/// so that 21 predicates are evaluated: the worst case of this mix.
struct W8Policy: Workload {
    let name = "w8_policy"
    let summary = "100 rules, the deciding one near the end, 100,000 decisions of a tool call: µs each (target ≤ 5)"
    static let targetMicroseconds = 5.0
    static let deciding = "refunds-over-100"

    static let subject = PolicySubject(agent: "refund_bot", role: "support", workflow: "refunds", environment: "production", tags: ["eu", "tier-2"])

    static let action = PolicyAction(
        .toolCall(name: "payments.refund_card", risk: .high, effect: .sideEffecting),
        arguments: [
            "amount": 250, "currency": "EUR", "reason": "damaged on arrival",
            "card": ["number": "4111 1111 1111 1111", "expiry": "12/30"], "customer": ["id": "c-1842", "tier": "gold"],
        ],
        context: PolicyContext(budget: BudgetShare(tokens: 0.35, cost: 0.42, steps: 0.2, toolCalls: 0.3), input: ["ticket": "T-77"])
    )

    func run(_ context: BenchContext) async throws -> Measurement {
        let decisions = context.count(100_000, quick: 2_000)
        var figures: [(String, Figure)] = []
        var counts: [(String, JSONText)] = []
        for dense in [false, true] {
            let policies = try Self.policies(dense: dense)
            let rules = policies.reduce(0) { $0 + $1.rules.count }
            try expect(rules == 100, in: name, "the policies have \(rules) rules, not 100")
            let engine = PolicyEngine(policies)
            for _ in 0..<1_000 { try check(engine.decide(Self.subject, Self.action)) }
            let figure = try await Meter.measure(ops: decisions, unit: "decision") {
                for _ in 0..<decisions { try check(engine.decide(Self.subject, Self.action)) }
            }
            figures.append((dense ? "decide_dense" : "decide", figure))
            let considered = try Self.considered(policies)
            let suffix = dense ? "_dense" : ""
            counts += [
                ("rules_for_tool_calls\(suffix)", .int(considered.toolRules)), ("rules_matching_the_call\(suffix)", .int(considered.matching)),
                ("predicates_evaluated\(suffix)", .int(considered.predicates)),
            ]
        }
        let primary = figures[0].1
        return Measurement(
            workload: name, primary: "decide", figures: figures,
            params: [("rules", .int(100)), ("deciding_rule_position", .int(97))] + counts + [
                ("decisions", .int(decisions)), ("quick", .bool(context.quick)),
                ("target_us_per_decision", .number(Self.targetMicroseconds, digits: 1)),
                ("target_met", .bool(primary.microsecondsPerOp <= Self.targetMicroseconds)),
                ("ratio_to_target", .number(primary.microsecondsPerOp / Self.targetMicroseconds, digits: 2)),
            ],
            peakRSSKilobytes: Meter.peakRSSKilobytes()
        )
    }

    private func check(_ receipt: PolicyReceipt) throws {
        guard case let .requireApproval(approval) = receipt.verdict, approval.role == "finance" else {
            throw BenchFailure(workload: name, "the decision was \(receipt.verdict.name) (\(receipt.reason)), not an approval by finance")
        }
        try expect(receipt.rule == Self.deciding && receipt.policy == "payments", in: name, "rule \(receipt.rule ?? "default") decided, not \(Self.deciding)")
    }

    /// Of the rules before the deciding one (in evaluation order: the policies are in order and
    /// no rule has a priority): how many apply to tool calls, how many match this call, and how
    /// many predicates those have, which the engine evaluates.
    private static func considered(_ policies: [Policy]) throws -> (toolRules: Int, matching: Int, predicates: Int) {
        var (toolRules, matching, predicates) = (0, 0, 0)
        for rule in policies.flatMap(\.rules) {
            if rule.id == deciding { return (toolRules, matching, predicates) }
            guard rule.stage == .before, rule.action.kinds.contains(.tool) else { continue }
            toolRules += 1
            guard rule.action.matches(action), rule.subject.matches(subject) else { continue }
            matching += 1
            predicates += rule.when.count
        }
        throw BenchFailure(workload: "w8_policy", "the deciding rule is missing")
    }

    // MARK: - The rules

    /// Two policies, as a company file and a workflow's own section would be: 100 rules. With
    /// `dense`, every predicate rule is written for the payment tools.
    static func policies(dense: Bool) throws -> [Policy] {
        var company: [PolicyRule] = []
        // Tools of other systems, by glob (considered: a glob that does not match).
        for (number, pattern) in ["crm.*", "db.delete_*", "*_admin", "files.write_?", "shell.*", "email.send_*", "k8s.*", "git.push*",
                                  "billing.invoice_*", "hr.*", "s3.delete_*", "*.drop_table", "slack.post_*", "jira.*_issue", "payments.payout_*",
                                  "browser.*", "sql.exec*", "vault.read_*", "*.impersonate", "iam.*", "ftp.*", "*.sudo", "docker.run*",
                                  "payments.void_*", "stripe.*"].enumerated() {
            company.append(try rule("glob-\(number)", tools: [pattern], .deny(reason: "\(pattern) is not for agents")))
        }
        // Tools by plain name (indexed: not considered for another name).
        for number in 0..<20 {
            company.append(try rule("named-\(number)", tools: ["ops.tool_\(number)"], .requireApproval(ApprovalRequirement(role: "ops"))))
        }
        // Other kinds of action (not considered for a tool call).
        company.append(PolicyRule("models", action: ActionMatch([.model: [try Glob("*:gpt-4.1")]]), when: [try Expression("budget.cost > 0.9")], decision: .deny(reason: "too expensive now")))
        company.append(PolicyRule("memory-pii", action: ActionMatch([.memoryWrite: [try Glob("customers/*")]]), decision: .redact([try RedactionPath("ssn")])))
        company.append(PolicyRule("memory-read", action: ActionMatch([.memoryRead: [try Glob("hr/*")]]), decision: .deny(reason: "HR data")))
        company.append(PolicyRule("hosts", action: ActionMatch([.http: [try Glob("*.internal"), try Glob("169.254.*")]]), decision: .deny(reason: "internal hosts")))
        company.append(PolicyRule("handoff", action: ActionMatch([.handoff: [try Glob("admin_*")]]), decision: .deny(reason: "no admin agents")))
        for number in 0..<5 {
            company.append(PolicyRule("model-\(number)", action: ActionMatch([.model: [try Glob("local:model-\(number)")]]), decision: .allow))
            company.append(PolicyRule("host-\(number)", action: ActionMatch([.http: [try Glob("api-\(number).example.com")]]), decision: .allow))
        }
        // Risk and effect conditions on payment tools that do not hold for this call.
        for (number, risk) in [RiskMatch.exactly(.low), .exactly(.medium), .exactly(.low), .exactly(.medium), .exactly(.low)].enumerated() {
            company.append(try rule("risk-\(number)", tools: ["payments.*"], risk: risk, .allow))
        }
        for (number, effects) in [Set([ToolEffect.pure]), [.readOnly], [.pure, .readOnly], [.idempotent], [.pure]].enumerated() {
            company.append(PolicyRule("effect-\(number)", action: ActionMatch([.tool: [try Glob("payments.*")]], effects: effects), decision: .allow))
        }
        // Subjects this call's agent is not.
        for (number, subject) in [
            SubjectMatch(agent: [try Glob("billing_*")]), SubjectMatch(environment: [try Glob("staging")]), SubjectMatch(role: [try Glob("admin")]),
            SubjectMatch(workflow: [try Glob("onboarding*")]), SubjectMatch(tags: [try Glob("internal")]),
        ].enumerated() {
            company.append(PolicyRule("subject-\(number)", subject: subject, action: ActionMatch([.tool: [try Glob("payments.*")]]), decision: .deny(reason: "not here")))
        }
        // Predicates that do not hold for this call: 8 for the payment tools, 12 for others
        // (all 20 for the payment tools when dense).
        let predicates: [(tools: String, predicate: String)] = [
            ("payments.*", "arguments.amount > 1000"), ("payments.*", "arguments.currency in ['USD', 'GBP']"),
            ("payments.*", "matches(arguments.customer.id, '^test-')"), ("payments.*", "budget.cost > 0.9"),
            ("payments.*", "subject.environment == 'staging'"), ("payments.*", "arguments.customer.tier == 'blocked'"),
            ("payments.*", "default(arguments.override, false) == true"), ("payments.*", "action.effect == 'pure'"),
            ("crm.update_*", "'vip' in subject.tags"), ("email.send*", "len(default(arguments.body, '')) > 5000"),
            ("email.send*", "budget.tool_calls > 0.95 || budget.tokens > 0.95"), ("db.query", "matches(lower(default(arguments.sql, '')), 'drop|truncate')"),
            ("files.write_*", "startsWith(default(arguments.path, ''), '/etc')"), ("billing.refund_*", "arguments.amount > 500 && arguments.currency == 'EUR'"),
            ("support.reply", "subject.agent == 'intern_bot'"), ("search.*", "budget.steps > 0.9"),
            ("billing.charge", "arguments.currency not in ['EUR', 'USD', 'GBP']"), ("kyc.*", "exists(arguments.iban)"),
            ("tickets.close", "input.ticket == null"), ("reports.export", "default(arguments.rows, 0) > 100000"),
        ]
        for (number, entry) in predicates.enumerated() {
            let decision: PolicyDecision = switch number % 5 {
            case 0: .requireApproval(ApprovalRequirement(role: "risk", timeout: .seconds(4 * 3600)))
            case 1: .redact([try RedactionPath("card.number")])
            default: .deny(reason: "predicate \(number)")
            }
            company.append(try rule("predicate-\(number)", tools: [dense ? "payments.*" : entry.tools], when: [entry.predicate], decision))
        }
        company.append(try rule("rate", tools: ["payments.payout_batch"], .rateLimit(RateLimit(limit: 10, window: .seconds(3600)))))
        let companyPolicy = try Policy("company", denyByDefault: true, rules: company)

        let payments = try Policy("payments", rules: [
            try rule("small-refunds", tools: ["payments.refund_*"], when: ["arguments.amount <= 100"], .allow),
            try rule(deciding, tools: ["payments.refund_*"], risk: .atLeast(.high), when: ["arguments.amount > 100"],
                     .requireApproval(ApprovalRequirement(role: "finance", timeout: .seconds(3600), reason: "refunds over 100 need finance"))),
            try rule("card-numbers", tools: ["payments.*"], .redact([try RedactionPath("card.number")])),
            try rule("reads", tools: ["*"], effects: [.pure, .readOnly], .allow),
        ])
        return [companyPolicy, payments]
    }

    private static func rule(
        _ id: String, tools: [String], risk: RiskMatch? = nil, effects: Set<ToolEffect>? = nil, when predicates: [String] = [], _ decision: PolicyDecision
    ) throws -> PolicyRule {
        PolicyRule(
            id, action: ActionMatch([.tool: try tools.map { try Glob($0) }], risk: risk, effects: effects),
            when: try predicates.map { try Expression($0) }, decision: decision
        )
    }
}
