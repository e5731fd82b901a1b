import BatonCore
import Yams

/// A file's `guardrails:` section as decoded: the guardrails in order, and the agents that chose
/// among them.
struct GuardrailSection {
    var set = GuardrailSet.empty
    /// Agent name → the guardrails it listed; an agent not here has them all.
    var agents: [String: [String]] = [:]
}

extension WorkflowDecoder {
    static let guardrailKeys = ["name", "detect", "deny_pattern", "max_length", "schema", "stages", "action"]
    /// The keys that say what a guardrail checks; a guardrail has exactly one.
    static let guardrailChecks = ["detect", "deny_pattern", "max_length", "schema"]

    /// `guardrails: [{ name: no_pii, detect: [email, iban], stages: [output], action: redact }, …]`.
    func guardrailSet(_ node: YAMLNode, at path: String) -> GuardrailSet {
        guard let elements = context.list(node, at: path, expected: "a list of guardrails, each with a name and one of detect, deny_pattern, max_length or schema", nullIsEmpty: true) else {
            return .empty
        }
        var guardrails: [any Guardrail] = []
        var declared: [String: Position?] = [:]
        for element in elements {
            guard let (guardrail, position) = self.guardrail(element.node, at: element.path) else { continue }
            if let first = declared[guardrail.name] {
                let line = first.map { " (first at line \($0.line))" } ?? ""
                context.error(DecodeContext.join(element.path, "name"), "the guardrail '\(guardrail.name)' is declared twice\(line); give each a name of its own")
                continue
            }
            declared[guardrail.name] = position
            guardrails.append(guardrail)
        }
        do {
            return try GuardrailSet(guardrails)
        } catch {
            context.error(path, node: node, "\(error)")
            return .empty
        }
    }

    /// One guardrail, and where its name is.
    private func guardrail(_ node: YAMLNode, at path: String) -> (any Guardrail, Position?)? {
        guard let fields = context.mapping(node, at: path, expected: "a guardrail: name, one of detect, deny_pattern, max_length or schema, stages, action", allowed: Self.guardrailKeys),
            let nameNode = context.required(fields, "name", "the guardrail's name, which agents list and findings carry")
        else { return nil }
        let checks = fields.entries.filter { Self.guardrailChecks.contains($0.key) }
        if checks.isEmpty {
            context.error(path, at: fields.position, "missing what the guardrail checks: one of detect, deny_pattern, max_length or schema")
            return nil
        }
        if checks.count > 1 {
            context.error(fields.path(checks[1].key), at: checks[1].keyPosition, "a guardrail checks one thing: '\(checks[0].key)' and '\(checks[1].key)' cannot go together; declare two guardrails")
            return nil
        }
        let check = checks[0]
        var read = FieldReader(fields)
        let name = context.name(nameNode, at: fields.path("name"), "a guardrail name")
        let stages = read("stages") { guardrailStages($0, at: $1) }
        let action = read("action") { guardrailAction($0, at: $1) }
        if check.key == "schema", fields.value("stages") == nil {
            context.error(path, at: fields.position, "missing required key 'stages' (where the content must be JSON of the schema: final_answer, say; by default a guardrail checks every stage, user input included)")
            return nil
        }
        guard let name, !read.failed else { return nil }
        let checkPath = fields.path(check.key)
        if action == .redact, check.key == "max_length" || check.key == "schema" {
            context.error(fields.path("action"), node: fields.value("action") ?? check.value, "a \(check.key) guardrail cannot redact: it finds no part of the content to hide; use deny or require_approval")
            return nil
        }
        let (scope, effect) = (stages ?? GuardrailStage.all, action ?? .deny)
        let guardrail: (any Guardrail)?
        switch check.key {
        case "detect":
            guardrail = detectors(check.value, at: checkPath).map { DetectorGuardrail(name, detecting: $0, stages: scope, action: effect) }
        case "deny_pattern":
            guardrail = denyPatterns(check.value, at: checkPath, guardrail: name).flatMap { patterns in
                built(check.value, at: checkPath) { () throws(GuardrailError) in try DenyPatternGuardrail(name, patterns: patterns, stages: scope, action: effect) }
            }
        case "max_length":
            guardrail = context.integer(check.value, at: checkPath).flatMap { limit in
                built(check.value, at: checkPath) { () throws(GuardrailError) in try MaxLengthGuardrail(name, maxCharacters: limit, stages: scope, action: effect) }
            }
        default:
            guardrail = schema(check.value, at: checkPath).flatMap { schema in
                built(check.value, at: checkPath) { () throws(GuardrailError) in try SchemaGuardrail(name, schema: schema, stages: scope, action: effect) }
            }
        }
        return guardrail.map { ($0, nameNode.position) }
    }

    /// The guardrail `make` builds, or `nil` with its error reported at `node`.
    private func built(_ node: YAMLNode, at path: String, _ make: () throws(GuardrailError) -> any Guardrail) -> (any Guardrail)? {
        do {
            return try make()
        } catch {
            context.error(path, node: node, error.description)
            return nil
        }
    }

    /// `detect: [email, payment_card]`, `detect: pii`: detectors and groups of them.
    private func detectors(_ node: YAMLNode, at path: String) -> [GuardrailDetector]? {
        guard let names = context.strings(node, at: path, "a detector") else { return nil }
        if names.isEmpty {
            context.error(path, node: node, "expected at least one detector, such as email, payment_card or secrets")
            return nil
        }
        var detectors: [GuardrailDetector] = []
        for name in names {
            guard let found = GuardrailDetector.named(name) else {
                let known = GuardrailDetector.names
                context.error(path, node: node, "unknown detector '\(name)'\(Suggestions.didYouMean(name, among: known)); expected \(Suggestions.list(known))")
                return nil
            }
            detectors += found
        }
        return detectors
    }

    /// `deny_pattern: "(?i)wire transfer"` or a list of patterns, each checked (and reported) where it is.
    private func denyPatterns(_ node: YAMLNode, at path: String, guardrail: String) -> [String]? {
        let elements: [(node: YAMLNode, path: String)]
        if case .sequence = node {
            guard let list = context.list(node, at: path), !list.isEmpty else {
                context.error(path, node: node, "expected a regular expression or a non-empty list of them, found an empty list")
                return nil
            }
            elements = list
        } else {
            elements = [(node, path)]
        }
        var patterns: [String] = []
        for element in elements {
            guard let pattern = context.string(element.node, at: element.path, expected: "a regular expression (ECMA-262, as in JSON Schema)"),
                built(element.node, at: element.path, { () throws(GuardrailError) in try DenyPatternGuardrail(guardrail, patterns: [pattern]) }) != nil
            else { return nil }
            patterns.append(pattern)
        }
        return patterns
    }

    /// `stages: [output, final_answer]` (or one stage).
    private func guardrailStages(_ node: YAMLNode, at path: String) -> Set<GuardrailStage>? {
        let known = GuardrailStage.allCases.map(\.rawValue)
        guard let names = context.strings(node, at: path, "a stage") else { return nil }
        if names.isEmpty {
            context.error(path, node: node, "expected at least one stage: \(Suggestions.list(known))")
            return nil
        }
        var stages: Set<GuardrailStage> = []
        for name in names {
            guard let stage = GuardrailStage(rawValue: name) else {
                context.error(path, node: node, "unknown stage '\(name)'\(Suggestions.didYouMean(name, among: known)); expected \(Suggestions.list(known))")
                return nil
            }
            stages.insert(stage)
        }
        return stages
    }

    /// `action: deny`, `action: redact` or `action: { require_approval: finance }`.
    private func guardrailAction(_ node: YAMLNode, at path: String) -> GuardrailAction? {
        let expected = "deny, redact or { require_approval: ROLE }"
        if case .mapping = node {
            guard let fields = context.mapping(node, at: path, expected: expected, allowed: ["require_approval"]),
                let role = context.required(fields, "require_approval", "the role whose approval the content waits for")
            else { return nil }
            return context.name(role, at: fields.path("require_approval"), "a role").map { GuardrailAction.requireApproval(role: $0) }
        }
        guard let text = context.string(node, at: path, expected: expected) else { return nil }
        switch text {
        case "deny": return .deny
        case "redact": return .redact
        case "require_approval":
            context.error(path, node: node, "require_approval needs the role that approves: action: { require_approval: finance }")
            return nil
        default:
            context.error(path, node: node, "unknown action '\(text)'\(Suggestions.didYouMean(text, among: ["deny", "redact", "require_approval"])); expected \(expected)")
            return nil
        }
    }

    /// An agent's `guardrails: [no_pii, no_secrets]`: names of the file's guardrails (an empty
    /// list: none of them).
    func agentGuardrails(_ node: YAMLNode, at path: String) -> [String]? {
        guard let names = context.strings(node, at: path, "a guardrail name") else { return nil }
        let known = guardrails.set.names
        for name in names where !known.contains(name) {
            context.error(path, node: node, "unknown guardrail '\(name)'\(Suggestions.didYouMean(name, among: known)); expected a guardrail under guardrails: (\(Suggestions.list(known, conjunction: "and")))")
            return nil
        }
        return names
    }
}
