import BatonCore
import Yams

/// Decodes governance policies (not to be confused with a node's retry policy, in
/// PolicyDecoding.swift): a policy file, or a policy written in a workflow's `policies:` section,
/// reporting every problem to its ``DecodeContext``. Subject and action matches are read in
/// GovernancePolicyMatchDecoding.swift.
///
/// ```yaml
/// baton: 1
/// policy: payments
/// deny_by_default: true
/// rules:
///   - id: refunds-over-100
///     action: { tool: "refund_*" }
///     when: arguments.amount > 100
///     decision: { require_approval: { role: finance, timeout: 4h } }
///     reason: refunds over 100 need finance
/// ```
struct GovernancePolicyDecoder {
    static let fileKeys = ["baton", "policy", "description", "deny_by_default", "rules"]
    static let inlineKeys = ["policy", "description", "deny_by_default", "rules"]
    static let ruleKeys = ["id", "description", "priority", "stage", "subject", "action", "when", "decision", "reason"]
    static let approvalKeys = ["role", "timeout", "on_timeout"]
    static let rateLimitKeys = ["max", "window", "per"]
    static let decisions = ["allow", "deny", "require_approval", "redact", "rate_limit"]

    let context: DecodeContext

    /// Decodes the policy file `text`, named `file` in diagnostics: the policy, or the problems.
    static func load(text: String, file: String) -> (Policy?, [Diagnostic]) {
        let context = DecodeContext(file: file)
        guard let root = YAMLSource.parse(text, context: context, needs: "a policy file needs at least baton: 1, a policy name and rules") else {
            return (nil, context.finish())
        }
        let policy = GovernancePolicyDecoder(context: context).file(root)
        return context.hasErrors ? (nil, context.finish()) : (policy, [])
    }

    /// The document of a policy file: `baton: 1`, then the policy.
    func file(_ root: YAMLNode) -> Policy? {
        context.record("", value: root.position)
        guard let fields = context.mapping(root, at: "", expected: "a policy (a mapping with baton, policy and rules)", allowed: Self.fileKeys) else {
            return nil
        }
        let format = WorkflowDecoder.formatVersion
        if let version = context.required(fields, "baton", "the format version: start the file with baton: \(format)"), version.integerValue != format {
            context.error("baton", node: version, "expected the format version \(format), found \(version.found)")
        }
        return policy(fields)
    }

    /// A policy: its name, description, default and rules.
    func policy(_ fields: YAMLMapping) -> Policy? {
        var read = FieldReader(fields)
        let name = context.required(fields, "policy", "the policy's name, as in policy: payments").flatMap { identifier($0, at: fields.path("policy"), "a policy name") }
        let summary = read("description") { context.string($0, at: $1, expected: "a description") }
        let denyByDefault = read("deny_by_default") { value, path -> Bool? in
            guard let flag = value.booleanValue else {
                context.error(path, node: value, "expected true (deny what no rule allows) or false, found \(value.found)")
                return nil
            }
            return flag
        }
        let rulesPath = fields.path("rules")
        var rules: [PolicyRule]?
        if let rulesNode = context.required(fields, "rules", "the policy's rules, a list"), let elements = context.list(rulesNode, at: rulesPath, expected: "a list of rules", nullIsEmpty: true) {
            var ids: [String: Position?] = [:]
            let decoded = elements.compactMap { rule($0.node, at: $0.path, ids: &ids) }
            rules = decoded.count == elements.count ? decoded : nil
        }
        guard let name, let rules, !read.failed else { return nil }
        do {
            return try Policy(name, description: summary, denyByDefault: denyByDefault ?? false, rules: rules)
        } catch {
            if case let .invalidRule(_, _, index, reason) = error {
                context.error(DecodeContext.index(rulesPath, index), reason)
            } else {
                context.error(fields.path("policy"), error.reason)
            }
            return nil
        }
    }

    private func rule(_ node: YAMLNode, at path: String, ids: inout [String: Position?]) -> PolicyRule? {
        guard let fields = context.mapping(node, at: path, expected: "a rule (id, action, when, decision, …)", allowed: Self.ruleKeys),
            let idNode = context.required(fields, "id", "the rule's name, as in id: refunds-over-100"),
            let decisionNode = context.required(fields, "decision", "allow, deny, require_approval, redact or rate_limit")
        else { return nil }
        var read = FieldReader(fields)
        let id = identifier(idNode, at: fields.path("id"), "a rule id")
        if let id {
            if let first = ids[id] {
                context.error(fields.path("id"), node: idNode, "another rule of the policy has the id '\(id)'" + (first.map { " (line \($0.line))" } ?? "") + "; give each rule its own")
            }
            ids[id] = idNode.position
        }
        let summary = read("description") { context.string($0, at: $1, expected: "a description") }
        let priority = read("priority") { value, path -> Int? in
            guard let number = value.integerValue else {
                context.error(path, node: value, "expected an integer priority (rules of higher priority are considered first), found \(value.found)")
                return nil
            }
            return number
        }
        let stage = read("stage") { value, path -> PolicyStage? in
            guard let text = value.scalar?.string, let stage = PolicyStage(rawValue: text) else {
                context.error(path, node: value, "expected before or after, found \(value.found)")
                return nil
            }
            return stage
        }
        let subject = read("subject") { subjectMatch($0, at: $1) }
        let action = read("action") { actionMatch($0, at: $1) }
        let predicates = read("when") { conditions($0, at: $1, stage: stage ?? .before) }
        let reason = read("reason") { context.string($0, at: $1, expected: "the reason, in a sentence") }
        let decided = decision(decisionNode, at: fields.path("decision"), reason: reason)
        if let decided, reason != nil, !Self.takesReason(decided) {
            context.error(fields.path("reason"), at: fields.keyPosition("reason"), "reason goes with deny and require_approval; describe the rule with description:")
            return nil
        }
        guard let id, let decided, !read.failed else { return nil }
        return PolicyRule(
            id, description: summary, priority: priority ?? 0, stage: stage ?? .before, subject: subject ?? .any, action: action ?? .any,
            when: predicates ?? [], decision: decided,
            location: node.position.map { PolicyLocation(file: context.file, line: $0.line, column: $0.column) }
        )
    }

    private static func takesReason(_ decision: PolicyDecision) -> Bool {
        switch decision {
        case .deny, .requireApproval: return true
        case .allow, .redact, .rateLimit: return false
        }
    }

    /// A policy's or a rule's name: letters, digits, `_`, `-` and `.`, starting with a letter or digit.
    private func identifier(_ node: YAMLNode, at path: String, _ what: String) -> String? {
        guard let text = context.string(node, at: path, expected: what) else { return nil }
        guard Names.isValidWorkflowName(text) else {
            context.error(path, node: node, "expected \(what) (letters, digits, '_', '-' and '.', starting with a letter or digit), found \(node.found)")
            return nil
        }
        return text
    }

    /// `when: arguments.amount > 100`, or a list of conditions that must all hold.
    private func conditions(_ node: YAMLNode, at path: String, stage: PolicyStage) -> [BatonCore.Expression]? {
        guard let elements = context.oneOrList(node, at: path, "a condition") else { return nil }
        let scope = PolicyScope.names(for: .after)
        var conditions: [BatonCore.Expression] = []
        for element in elements {
            guard let condition = context.expression(element.node, at: element.path, scope: scope) else { return nil }
            if stage == .before, condition.referencedRoots.contains("result") {
                context.error(element.path, node: element.node, "the condition reads 'result', the result of the action, which only rules with stage: after have")
                return nil
            }
            conditions.append(condition)
        }
        return conditions
    }

    // MARK: - Decisions

    /// `allow`, `deny`, `{ require_approval: {…} }`, `{ redact: [paths] }` or `{ rate_limit: {…} }`.
    private func decision(_ node: YAMLNode, at path: String, reason: String?) -> PolicyDecision? {
        let expected = "allow, deny, { require_approval: { role: … } }, { redact: [fields] } or { rate_limit: { max: …, window: … } }"
        if case let .scalar(scalar) = node {
            switch scalar.string {
            case "allow": return .allow
            case "deny": return .deny(reason: reason ?? "")
            case "require_approval", "redact", "rate_limit":
                context.error(path, node: node, "\(scalar.string) needs its settings: write decision: { \(scalar.string): … }; expected \(expected)")
            default:
                context.error(path, node: node, "unknown decision \(node.found)\(Suggestions.didYouMean(scalar.string, among: Self.decisions)); expected \(expected)")
            }
            return nil
        }
        guard let fields = context.mapping(node, at: path, expected: expected, allowed: Array(Self.decisions.dropFirst(2))), let only = fields.entries.first else {
            if case let .mapping(mapping) = node, mapping.isEmpty { context.error(path, node: node, "expected one of require_approval, redact or rate_limit, found an empty mapping") }
            return nil
        }
        guard fields.entries.count == 1 else {
            context.error(path, node: node, "a rule has one decision, but this names \(Suggestions.list(fields.entries.map(\.key), conjunction: "and")); split it into rules")
            return nil
        }
        let valuePath = fields.path(only.key)
        switch only.key {
        case "require_approval": return approval(only.value, at: valuePath, reason: reason).map(PolicyDecision.requireApproval)
        case "redact": return redactions(only.value, at: valuePath).map(PolicyDecision.redact)
        default: return rateLimit(only.value, at: valuePath).map(PolicyDecision.rateLimit)
        }
    }

    /// `{ role: finance, timeout: 4h, on_timeout: deny }`.
    private func approval(_ node: YAMLNode, at path: String, reason: String?) -> ApprovalRequirement? {
        guard let fields = context.mapping(node, at: path, expected: "the approval: role, timeout, on_timeout", allowed: Self.approvalKeys),
            let roleNode = context.required(fields, "role", "who may approve, as in role: finance")
        else { return nil }
        var read = FieldReader(fields)
        let role = context.string(roleNode, at: fields.path("role"), expected: "a role name, such as finance")
        let timeout = read("timeout") { context.duration($0, at: $1) }
        let onTimeout = read("on_timeout") { value, path -> ApprovalRequirement.TimeoutOutcome? in
            guard let text = value.scalar?.string, let outcome = ApprovalRequirement.TimeoutOutcome(rawValue: text) else {
                context.error(path, node: value, "expected deny or allow (what happens when nobody decides in time), found \(value.found)")
                return nil
            }
            return outcome
        }
        guard let role, !read.failed else { return nil }
        return ApprovalRequirement(role: role, timeout: timeout ?? ApprovalRequirement.defaultTimeout, onTimeout: onTimeout ?? .deny, reason: reason)
    }

    /// `[card.number, items[*].cvc]`, or one path.
    private func redactions(_ node: YAMLNode, at path: String) -> [RedactionPath]? {
        guard let elements = context.oneOrList(node, at: path, "a field path such as card.number") else { return nil }
        var paths: [RedactionPath] = []
        for element in elements {
            guard let text = context.string(element.node, at: element.path, expected: "a field path such as card.number") else { return nil }
            do { paths.append(try RedactionPath(text)) } catch {
                context.error(element.path, node: element.node, "invalid field path \"\(YAMLNode.excerpt(text))\": \(error.reason)")
                return nil
            }
        }
        return paths
    }

    /// `{ max: 10, window: 1h, per: [agent, action] }`.
    private func rateLimit(_ node: YAMLNode, at path: String) -> RateLimit? {
        guard let fields = context.mapping(node, at: path, expected: "the rate limit: max, window, per", allowed: Self.rateLimitKeys),
            let maxNode = context.required(fields, "max", "the most actions per window, as in max: 10"),
            let windowNode = context.required(fields, "window", "the length of the window, as in window: 1h")
        else { return nil }
        var read = FieldReader(fields)
        var limit = context.integer(maxNode, at: fields.path("max"))
        if let value = limit, value > RateLimit.maximumLimit {
            context.error(fields.path("max"), node: maxNode, "expected at most \(RateLimit.maximumLimit) actions per window, found \(value)")
            limit = nil
        }
        let window = context.duration(windowNode, at: fields.path("window"))
        let per = read("per") { value, path -> [RateLimit.KeyField]? in
            if case let .sequence(sequence) = value, sequence.isEmpty { return [] }
            return keywords(value, at: path, "field to count for", known: RateLimit.KeyField.allCases)
        }
        guard let limit, let window, !read.failed else { return nil }
        return RateLimit(limit: limit, window: window, per: per ?? [.agent])
    }
}
