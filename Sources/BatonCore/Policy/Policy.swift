/// A named, ordered list of rules and what happens to an action no rule decides: allowed, or,
/// for a policy that is deny-by-default, denied.
///
/// Rules are considered by priority (higher first), then in the order they are written; the
/// first rule that matches decides. ``PolicyEngine`` evaluates one or several policies together.
///
/// ```swift
/// let policy = try Policy("payments", denyByDefault: true, rules: [
///     PolicyRule("reads", action: ActionMatch([.tool: [try Glob("*")]], effects: [.pure, .readOnly]), decision: .allow),
///     PolicyRule("refunds", action: ActionMatch([.tool: [try Glob("refund")]]),
///                when: [try Expression("arguments.amount <= 100")], decision: .allow),
/// ])
/// ```
public struct Policy: Sendable {
    /// The most rules one policy may have.
    public static let maximumRules = 10_000
    /// The longest policy name or rule id, in characters.
    public static let maximumNameLength = 128
    /// The longest approval timeout or rate-limit window: about ten years.
    public static let maximumDuration: Duration = .seconds(10 * 366 * 24 * 3600)

    /// The policy's name: receipts and rate limits name it.
    public let name: String
    /// What the policy is for (its `description`).
    public let summary: String?
    /// When true, an action that no rule decides is denied; otherwise it is allowed.
    public let denyByDefault: Bool
    /// The rules in the order they were written.
    public let rules: [PolicyRule]

    /// Checks the rules and builds the policy. Throws ``PolicyError`` for an empty or repeated
    /// name, and for a rule whose parts do not fit together: a decision an after-stage rule
    /// cannot make, a predicate that reads a name its stage does not have, a risk condition on a
    /// rule for other actions than tool calls, a host pattern with capitals, an approval without
    /// a role, a timeout or window of zero or over ten years, a rate limit below 1, a redaction
    /// without fields.
    public init(_ name: String, description: String? = nil, denyByDefault: Bool = false, rules: [PolicyRule]) throws(PolicyError) {
        if let problem = Self.nameProblem(name, what: "policy name") { throw .invalidPolicy(policy: name, reason: problem) }
        guard rules.count <= Self.maximumRules else {
            throw .invalidPolicy(policy: name, reason: "it has \(rules.count) rules; at most \(Self.maximumRules) are allowed: split it into several policies")
        }
        var seen: Set<String> = []
        for (index, rule) in rules.enumerated() {
            let problem = Self.nameProblem(rule.id, what: "rule id")
                ?? (seen.insert(rule.id).inserted ? nil : "another rule of the policy has the id '\(rule.id)'; give each rule its own")
                ?? Self.problem(with: rule)
            if let problem { throw .invalidRule(policy: name, rule: rule.id, index: index, reason: problem) }
        }
        self.name = name
        self.summary = description
        self.denyByDefault = denyByDefault
        self.rules = rules
    }

    private static func nameProblem(_ name: String, what: String) -> String? {
        if name.isEmpty { return "the \(what) is empty" }
        if name.count > maximumNameLength { return "the \(what) has \(name.count) characters; at most \(maximumNameLength) are allowed" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return "the \(what) contains a control character" }
        return nil
    }

    /// What is wrong with the parts of `rule` together, if anything.
    private static func problem(with rule: PolicyRule) -> String? {
        let names = PolicyScope.names(for: rule.stage)
        for expression in rule.when {
            for root in expression.referencedRoots.sorted() where !names.contains(root) {
                return root == "result"
                    ? "the condition `\(expression.source)` reads 'result', which only rules with stage: after have"
                    : "the condition `\(expression.source)` reads '\(root)', which is not defined: a condition reads \(names.joined(separator: ", "))"
            }
        }
        if rule.action.risk != nil || rule.action.effects != nil, let other = rule.action.names.keys.first(where: { $0 != .tool }) {
            return "risk and effect apply to tool calls, but the rule also matches \(other) actions; move those to a rule of their own"
        }
        if let hosts = rule.action.names[.http], let capital = hosts.first(where: { $0.pattern != $0.pattern.lowercased() }) {
            return "the host pattern '\(capital.pattern)' has capitals, but hosts are compared in lower case; write '\(capital.pattern.lowercased())'"
        }
        switch (rule.stage, rule.decision) {
        case (.after, .requireApproval), (.after, .rateLimit):
            return "\(rule.decision.name) decides before an action; a rule with stage: after can allow, deny (withhold the result) or redact fields of the result"
        case let (_, .requireApproval(approval)):
            if approval.role.isEmpty { return "the approval names no role; say who may approve, as in role: finance" }
            if approval.timeout <= .zero || approval.timeout > maximumDuration { return "the approval's timeout must be longer than zero and at most ten years" }
        case let (_, .rateLimit(limit)):
            if !(1...RateLimit.maximumLimit).contains(limit.limit) {
                return "a rate limit allows 1 to \(RateLimit.maximumLimit) actions per window, not \(limit.limit)"
            }
            if limit.window <= .zero || limit.window > maximumDuration { return "a rate limit's window must be longer than zero and at most ten years" }
        case let (_, .redact(paths)):
            if paths.isEmpty { return "the redaction names no fields; list them, as in [card.number]" }
        case (_, .allow), (_, .deny):
            break
        }
        return nil
    }
}
