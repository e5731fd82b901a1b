import BatonCore
import Yams

/// The `subject:` and `action:` of a governance policy rule.
///
/// ```yaml
/// subject: { agent: "refund_*", environment: production, tags: [eu, beta] }
/// action: { tool: ["payments.*", billing.charge], risk: { at_least: medium }, effect: side_effecting }
/// action: { kind: [model, http] }
/// ```
extension GovernancePolicyDecoder {
    static let subjectKeys = ["agent", "role", "workflow", "environment", "tags"]
    static let actionKeys = ["kind"] + PolicyAction.Kind.allCases.map(\.rawValue) + ["risk", "effect"]

    /// Each key a glob or a list of globs, of which one must match.
    func subjectMatch(_ node: YAMLNode, at path: String) -> SubjectMatch? {
        guard let fields = context.mapping(node, at: path, expected: "the subjects the rule applies to: agent, role, workflow, environment, tags", allowed: Self.subjectKeys) else {
            return nil
        }
        var read = FieldReader(fields)
        let match = SubjectMatch(
            agent: read("agent", globs), role: read("role", globs), workflow: read("workflow", globs),
            environment: read("environment", globs), tags: read("tags", globs)
        )
        return read.failed ? nil : match
    }

    /// A key per kind of action, with the globs of its names; `kind:` for kinds with any name;
    /// `risk:` and `effect:` for tool calls.
    func actionMatch(_ node: YAMLNode, at path: String) -> ActionMatch? {
        let kinds = PolicyAction.Kind.allCases.map(\.rawValue)
        guard let fields = context.mapping(node, at: path, expected: "the actions the rule applies to: \(Suggestions.list(kinds)), kind, risk, effect", allowed: Self.actionKeys) else {
            return nil
        }
        var read = FieldReader(fields)
        var byKind: [PolicyAction.Kind: [Glob]] = [:]
        for kind in PolicyAction.Kind.allCases {
            if let globs = read(kind.rawValue, globs) { byKind[kind] = globs }
        }
        let anyName = read("kind") { keywords($0, at: $1, "kind of action", known: PolicyAction.Kind.allCases) }
        for kind in anyName ?? [] {
            guard byKind[kind] == nil else {
                context.error(fields.path("kind"), "\(kind) is both under kind and a key of its own; keep \(kind): with its names, or write \(kind): \"*\"")
                return nil
            }
            byKind[kind] = [.any]
        }
        let risk = read("risk") { riskMatch($0, at: $1) }
        let effects = read("effect") { keywords($0, at: $1, "tool effect", known: ToolEffect.allCases) }
        if read.failed { return nil }
        return ActionMatch(byKind, risk: risk, effects: effects.map(Set.init))
    }

    /// `high` (exactly), `{ at_least: medium }` or `{ exactly: low }`.
    private func riskMatch(_ node: YAMLNode, at path: String) -> RiskMatch? {
        let expected = "low, medium or high (exactly), { at_least: medium } or { exactly: high }"
        func risk(_ value: YAMLNode, at path: String) -> ToolRisk? {
            guard let text = value.scalar?.string, let risk = ToolRisk(rawValue: text) else {
                context.error(path, node: value, "expected low, medium or high, found \(value.found)")
                return nil
            }
            return risk
        }
        if case .scalar = node { return risk(node, at: path).map(RiskMatch.exactly) }
        guard let fields = context.mapping(node, at: path, expected: expected, allowed: ["at_least", "exactly"]) else { return nil }
        guard fields.entries.count == 1, let only = fields.entries.first else {
            context.error(path, node: node, "expected one of at_least or exactly, as in { at_least: medium }")
            return nil
        }
        return risk(only.value, at: fields.path(only.key)).map(only.key == "at_least" ? RiskMatch.atLeast : RiskMatch.exactly)
    }

    /// One glob or a list of them.
    private func globs(_ node: YAMLNode, at path: String) -> [Glob]? {
        let expected = "a name or a glob such as refund_*"
        guard let elements = context.oneOrList(node, at: path, expected) else { return nil }
        var globs: [Glob] = []
        for element in elements {
            guard let text = context.string(element.node, at: element.path, expected: expected) else { return nil }
            do { globs.append(try Glob(text)) } catch {
                context.error(element.path, node: element.node, "invalid glob \"\(YAMLNode.excerpt(text))\": \(error.reason)")
                return nil
            }
        }
        return globs
    }

    /// One name or a list of names (of a `noun`, such as "tool effect"), each one of `known`.
    func keywords<Value: RawRepresentable<String>>(_ node: YAMLNode, at path: String, _ noun: String, known: [Value]) -> [Value]? {
        guard let elements = context.oneOrList(node, at: path, "a \(noun)") else { return nil }
        let spellings = known.map(\.rawValue)
        var values: [Value] = []
        for element in elements {
            guard let text = context.string(element.node, at: element.path, expected: "a \(noun)") else { return nil }
            guard let value = Value(rawValue: text) else {
                context.error(element.path, node: element.node, "unknown \(noun) '\(YAMLNode.excerpt(text))'\(Suggestions.didYouMean(text, among: spellings)); expected \(Suggestions.list(spellings))")
                return nil
            }
            values.append(value)
        }
        return values
    }
}

extension DecodeContext {
    /// A value or a non-empty list of values, each with its path: `x` reads as `[x]`.
    func oneOrList(_ node: YAMLNode, at path: String, _ what: String) -> [(node: YAMLNode, path: String)]? {
        guard case .sequence = node else { return [(node, path)] }
        guard let elements = list(node, at: path) else { return nil }
        if elements.isEmpty { error(path, node: node, "expected \(what) or a non-empty list of them, found an empty list") }
        return elements.isEmpty ? nil : elements
    }
}
