import BatonCore
import Testing

/// Decisions, precedence, defaults, matching and conditions.
@Suite struct PolicyEngineTests {
    typealias F = PolicyFixtures

    @Test func eachDecisionGivesItsVerdictAndNamesTheRule() throws {
        let approval = ApprovalRequirement(role: "finance", timeout: .seconds(3600), onTimeout: .allow, reason: "large refund")
        let fields = [try RedactionPath("card.number")]
        let engine = try F.engine(
            try F.rule("allow", .allow, action: F.tools("lookup")),
            try F.rule("deny", .deny(reason: "no deletes"), action: F.tools("delete")),
            try F.rule("ask", .requireApproval(approval), action: F.tools("refund")),
            try F.rule("redact", .redact(fields), action: F.tools("charge")),
            try F.rule("limit", .rateLimit(RateLimit(limit: 5, window: .seconds(60))), action: F.tools("search"))
        )
        let cases: [(tool: String, rule: String, verdict: PolicyVerdict, reason: String)] = [
            ("lookup", "allow", .allow, "rule 'allow' of policy 'test' allows the tool call 'lookup'"),
            ("delete", "deny", .deny, "no deletes"),
            ("refund", "ask", .requireApproval(approval), "large refund"),
            ("charge", "redact", .redact(fields), "rule 'redact' of policy 'test' redacts card.number of the tool call 'charge'"),
            ("search", "limit", .allow, "rule 'limit' of policy 'test' allows the tool call 'search' (at most 5 per 1 min per agent)"),
        ]
        for expected in cases {
            let receipt = engine.decide(F.bot, F.tool(expected.tool))
            #expect(receipt.verdict == expected.verdict, "\(expected.tool)")
            #expect(receipt.reason == expected.reason)
            #expect(receipt.policy == "test")
            #expect(receipt.rule == expected.rule)
            #expect(receipt.stage == .before)
        }
    }

    @Test func aDenialWithoutAReasonSaysWhichRule() throws {
        let engine = try F.engine(try F.rule("stop", .deny(reason: "")))
        #expect(engine.decide(F.bot, F.tool("x")).reason == "rule 'stop' of policy 'test' denies the tool call 'x'")
    }

    @Test func higherPriorityComesFirstThenFileOrder() throws {
        let engine = try F.engine(
            try F.rule("first", .allow, action: F.tools("*")),
            try F.rule("second", .deny(reason: "second"), action: F.tools("*")),
            try F.rule("urgent", .deny(reason: "urgent"), priority: 10, action: F.tools("refund_*"))
        )
        #expect(engine.decide(F.bot, F.tool("refund_card")).rule == "urgent")
        #expect(engine.decide(F.bot, F.tool("lookup")).rule == "first")
    }

    @Test func rulesOfSeveralPoliciesMergeByPriorityThenPolicyOrder() throws {
        let workflow = try Policy("workflow", rules: [try F.rule("allow-all", .allow)])
        let company = try Policy("company", denyByDefault: true, rules: [
            try F.rule("no-prod-deletes", .deny(reason: "no deletes in production"), priority: 1, action: F.tools("db.delete_*")),
            try F.rule("also-allow", .allow),
        ])
        let engine = PolicyEngine([workflow, company])
        let delete = engine.decide(F.bot, F.tool("db.delete_user"))
        #expect(delete.verdict == .deny)
        #expect(delete.policy == "company")
        #expect(engine.decide(F.bot, F.tool("lookup")).policy == "workflow")
        #expect(engine.decide(F.bot, F.tool("lookup")).rule == "allow-all")
    }

    @Test func denyByDefaultDeniesWhatNoRuleDecidesAndSaysSo() throws {
        let engine = try F.engine(try F.rule("reads", .allow, action: F.tools("*", effects: [.readOnly])), denyByDefault: true)
        #expect(engine.decide(F.bot, F.tool("search", effect: .readOnly)).verdict == .allow)
        let denied = engine.decide(F.bot, F.tool("pay"))
        #expect(denied.verdict == .deny)
        #expect(denied.rule == nil)
        #expect(denied.policy == "test")
        #expect(denied.reason == "no rule allows the tool call 'pay', and policy 'test' denies by default (deny_by_default: true); add a rule that allows it")
    }

    @Test func withoutADenyingDefaultWhatNoRuleDecidesIsAllowed() throws {
        let receipt = try F.engine(try F.rule("deny-pay", .deny(reason: "no"), action: F.tools("pay"))).decide(F.bot, F.tool("lookup"))
        #expect(receipt.verdict == .allow)
        #expect(receipt.policy == nil && receipt.rule == nil)
        #expect(PolicyEngine([]).decide(F.bot, F.tool("x")).verdict == .allow)
    }

    @Test func subjectsMatchByGlobAndMissingFieldsNeverMatchAPattern() throws {
        let engine = try F.engine(
            try F.rule("prod-refunders", .deny(reason: "prod"), subject: SubjectMatch(agent: F.globs("refund_*"), environment: F.globs("production"))),
            try F.rule("any-agent", .requireApproval(ApprovalRequirement(role: "ops")), subject: SubjectMatch(agent: F.globs("*"))),
            try F.rule("beta-runs", .redact([try RedactionPath("x")]), subject: SubjectMatch(tags: F.globs("be*")))
        )
        #expect(engine.decide(F.bot, F.tool("t")).rule == "prod-refunders")
        #expect(engine.decide(PolicySubject(agent: "refund_bot", environment: "staging"), F.tool("t")).rule == "any-agent")
        #expect(engine.decide(PolicySubject(tags: ["beta"]), F.tool("t")).rule == "beta-runs")
        #expect(engine.decide(PolicySubject(workflow: "w"), F.tool("t")).rule == nil)
        let roles = try F.engine(try F.rule("support", .allow, subject: SubjectMatch(role: F.globs("support", "sales"), workflow: F.globs("ref*"))))
        #expect(roles.decide(F.bot, F.tool("t")).rule == "support")
        #expect(roles.decide(PolicySubject(role: "support", workflow: "other"), F.tool("t")).rule == nil)
    }

    @Test func everyKindOfActionIsMatchedByItsName() throws {
        let engine = try F.engine(
            try F.rule("models", .deny(reason: "m"), action: ActionMatch([.model: F.globs("openai:*")])),
            try F.rule("reads", .deny(reason: "r"), action: ActionMatch([.memoryRead: F.globs("customers/*")])),
            try F.rule("writes", .deny(reason: "w"), action: ActionMatch([.memoryWrite: F.globs("audit")])),
            try F.rule("handoffs", .deny(reason: "h"), action: ActionMatch([.handoff: F.globs("admin_*")])),
            try F.rule("hosts", .deny(reason: "x"), action: ActionMatch([.http: F.globs("*.internal")]))
        )
        let cases: [(PolicyAction.Operation, String?)] = [
            (.modelCall(model: "openai:gpt-4.1"), "models"), (.modelCall(model: "anthropic:claude"), nil),
            (.memoryRead(namespace: "customers/eu"), "reads"), (.memoryWrite(namespace: "customers/eu"), nil),
            (.memoryWrite(namespace: "audit"), "writes"), (.handoff(to: "admin_bot"), "handoffs"),
            (.outboundHTTP(host: "DB.Internal"), "hosts"), (.outboundHTTP(host: "api.example.com"), nil),
            (.toolCall(name: "audit", risk: .low, effect: .pure), nil),
        ]
        for (operation, rule) in cases {
            #expect(engine.decide(F.bot, PolicyAction(operation)).rule == rule, "\(operation)")
        }
    }

    @Test func riskAndEffectMatchToolCallsOnly() throws {
        let engine = try F.engine(
            try F.rule("high", .requireApproval(ApprovalRequirement(role: "ops")), action: ActionMatch(risk: .exactly(.high))),
            try F.rule("medium-up", .deny(reason: "medium"), action: F.tools("pay_*", risk: .atLeast(.medium))),
            try F.rule("writes", .deny(reason: "writes"), action: ActionMatch(effects: [.sideEffecting, .idempotent]))
        )
        #expect(engine.decide(F.bot, F.tool("anything", risk: .high)).rule == "high")
        #expect(engine.decide(F.bot, F.tool("pay_card", risk: .medium)).rule == "medium-up")
        #expect(engine.decide(F.bot, F.tool("pay_card", risk: .low, effect: .pure)).rule == nil)
        #expect(engine.decide(F.bot, F.tool("other", risk: .low, effect: .idempotent)).rule == "writes")
        #expect(engine.decide(F.bot, PolicyAction(.modelCall(model: "m"))).rule == nil)
    }

    @Test func conditionsCompareTestMembershipAndMatchPatterns() throws {
        let engine = try F.engine(
            try F.rule("big", .deny(reason: "big"), when: ["arguments.amount > 1000"]),
            try F.rule("vip", .allow, when: ["arguments.customer in ['acme', 'globex']"]),
            try F.rule("iban", .redact([try RedactionPath("account")]), when: ["matches(arguments.account, '^[A-Z]{2}[0-9]{2}')"]),
            try F.rule("both", .requireApproval(ApprovalRequirement(role: "finance")), when: ["arguments.amount > 100", "subject.environment == 'production'"])
        )
        #expect(engine.decide(F.bot, F.tool("refund", ["amount": 5000])).rule == "big")
        #expect(engine.decide(F.bot, F.tool("refund", ["amount": 10, "customer": "acme"])).rule == "vip")
        #expect(engine.decide(F.bot, F.tool("refund", ["amount": 10, "account": "DE44500105175407324931"])).rule == "iban")
        #expect(engine.decide(F.bot, F.tool("refund", ["amount": 500, "account": "none"])).rule == "both")
        #expect(engine.decide(PolicySubject(environment: "staging"), F.tool("refund", ["amount": 500, "account": "none"])).rule == nil)
    }

    @Test func conditionsSeeTheSubjectTheActionAndTheRunInput() throws {
        let engine = try F.engine(
            try F.rule("tagged", .deny(reason: "t"), when: ["'eu' in subject.tags && action.kind == 'tool' && action.risk == 'high'"]),
            try F.rule("gold", .allow, when: ["input.tier == 'gold' && action.name == 'refund'"])
        )
        #expect(engine.decide(F.bot, F.tool("x", risk: .high)).rule == "tagged")
        let gold = PolicyAction(.toolCall(name: "refund", risk: .low, effect: .pure), context: PolicyContext(input: ["tier": "gold"]))
        #expect(engine.decide(F.bot, gold).rule == "gold")
    }

    @Test func budgetSharesGateExpensiveActions() throws {
        let engine = try F.engine(
            try F.rule("save-money", .deny(reason: "over 80% of the budget is spent"), action: ActionMatch([.model: F.globs("*:gpt-4.1")]), when: ["budget.cost > 0.8 || budget.tokens > 0.9"]),
            try F.rule("tool-budget", .deny(reason: "tool calls"), when: ["budget.tool_calls >= 1 || budget.steps >= 1"])
        )
        let expensive = PolicyAction(.modelCall(model: "openai:gpt-4.1"), context: PolicyContext(budget: BudgetShare(cost: 0.85)))
        #expect(engine.decide(F.bot, expensive).rule == "save-money")
        let cheap = PolicyAction(.modelCall(model: "openai:gpt-4.1"), context: PolicyContext(budget: BudgetShare(tokens: 0.5, cost: 0.2)))
        #expect(engine.decide(F.bot, cheap).rule == nil)
        #expect(engine.decide(F.bot, F.tool("t", budget: BudgetShare(toolCalls: 7))).rule == "tool-budget")
        #expect(BudgetShare(tokens: -1, cost: .nan, steps: 2).json == ["tokens": 0.0, "cost": 1.0, "steps": 1.0, "tool_calls": 0.0])
    }

    @Test func anEvaluationErrorDeniesAndNamesTheRule() throws {
        let engine = try F.engine(
            try F.rule("typed", .allow, when: ["arguments.amount > 100"]),
            try F.rule("regex", .allow, when: ["matches(arguments.text, '(a|aa)*(b|bb)*(c|cc)*(d|dd)*(e|ee)*(f|ff)*$')"])
        )
        let typeError = engine.decide(F.bot, F.tool("refund", ["amount": "a lot"]))
        #expect(typeError.verdict == .deny)
        #expect(typeError.rule == "typed")
        #expect(typeError.reason.hasPrefix("rule 'typed' of policy 'test' could not be evaluated, so the tool call 'refund' is denied (policies fail closed): in expression `arguments.amount > 100`"))
        #expect(typeError.failure?.contains("cannot compare a string with an integer") == true)
        let missing = engine.decide(F.bot, F.tool("refund"))
        #expect(missing.verdict == .deny && missing.failure?.contains("null") == true)
        let huge = String(repeating: "a", count: 20_000_000)
        let tooLong = engine.decide(F.bot, F.tool("refund", ["amount": 1, "text": .string(huge)]))
        #expect(tooLong.verdict == .deny)
        #expect(tooLong.rule == "regex")
        #expect(tooLong.failure?.contains("too long to match") == true)
    }

    @Test func afterRulesCheckTheResult() throws {
        let engine = try F.engine(
            try F.rule("secret", .deny(reason: "the result holds a secret"), stage: .after, when: ["matches(string(result), 'sk-[a-z0-9]{8}')"]),
            try F.rule("ssn", .redact([try RedactionPath("customer.ssn")]), stage: .after, action: F.tools("lookup_customer")),
            try F.rule("before", .deny(reason: "never used after"))
        )
        let leaked = engine.decide(F.bot, F.tool("lookup_customer"), result: ["note": "key sk-abcd1234"])
        #expect(leaked.verdict == .deny && leaked.stage == .after && leaked.rule == "secret")
        let customer: JSON = ["customer": ["name": "Ada", "ssn": "078-05-1120"]]
        let redacted = engine.decide(F.bot, F.tool("lookup_customer"), result: customer)
        #expect(redacted.rule == "ssn")
        #expect(redacted.applying(to: customer) == ["customer": ["name": "Ada", "ssn": "[REDACTED]"]])
        let passed = engine.decide(F.bot, F.tool("other"), result: "fine")
        #expect(passed.verdict == .allow && passed.rule == nil)
        #expect(passed.reason == "no rule checks the result of the tool call 'other'")
        #expect(engine.decide(F.bot, F.tool("other")).rule == "before")
    }

    @Test func denyByDefaultDoesNotWithholdResults() throws {
        let engine = try F.engine(try F.rule("ok", .allow), denyByDefault: true)
        #expect(engine.decide(F.bot, F.tool("x"), result: 1).verdict == .allow)
    }

    @Test func redactionAppliesToArgumentsBeforeTheyGoOn() throws {
        let engine = try F.engine(try F.rule("cards", .redact([try RedactionPath("card.number"), try RedactionPath("cards[*].cvc")])))
        let arguments: JSON = ["card": ["number": "4111", "brand": "visa"], "cards": [["cvc": "123"], ["cvc": "456"]]]
        let receipt = engine.decide(F.bot, F.tool("pay", arguments))
        #expect(receipt.isAllowed)
        #expect(receipt.applying(to: arguments) == ["card": ["number": "[REDACTED]", "brand": "visa"], "cards": [["cvc": "[REDACTED]"], ["cvc": "[REDACTED]"]]])
        #expect(engine.decide(F.bot, F.tool("pay", arguments), result: arguments).applying(to: arguments) == arguments)
    }

    @Test func receiptsRenderToTheEventsJSON() throws {
        let engine = try F.engine(
            try F.rule("ask", .requireApproval(ApprovalRequirement(role: "finance", timeout: .seconds(90), reason: "over 100")), action: F.tools("refund")),
            try F.rule("hide", .redact([try RedactionPath("card")]), action: F.tools("pay"))
        )
        let json = engine.decide(F.bot, F.tool("refund")).json
        #expect(json["decision"] == "require_approval")
        #expect(json["policy"] == "test" && json["rule"] == "ask" && json["stage"] == "before" && json["agent"] == "refund_bot")
        #expect(json["action"] == ["kind": "tool", "name": "refund"])
        #expect(json["approval"] == ["role": "finance", "timeout_ms": 90_000, "on_timeout": "deny", "reason": "over 100"])
        #expect(json["evaluation_us"]?.isNumber == true)
        #expect(engine.decide(F.bot, F.tool("pay")).json["fields"] == ["card"])
        #expect(engine.decide(F.bot, F.tool("other")).json["rule"] == .null)
        #expect(EventType.policyDecided.rawValue == "policy.decided")
    }
}
