import BatonCore
import Yams

extension WorkflowDecoder {
    /// The keys that say what a node does; a node has exactly one.
    static let kindKeys = ["function", "set", "tool", "agent", "branch", "map", "wait", "workflow", "approval"]
    /// Keys every node may have.
    static let policyKeys = ["description", "retry", "timeout", "fallback", "success", "max_visits", "budget"]
    /// Keys that belong with one kind.
    static let kindExtras: [String: [String]] = [
        "function": ["into"], "tool": ["args", "into"], "agent": ["input", "into"], "wait": ["into"], "workflow": ["input", "into"],
        "set": [], "branch": [], "map": [], "approval": ["into"],
    ]

    /// Decodes the node `id`, whose key is at `keyPosition`.
    func node(_ id: String, _ value: YAMLNode, at path: String, keyPosition: Position?) -> BatonCore.Node? {
        context.alias(core: path, to: path, at: keyPosition)
        let everyKey = Self.kindKeys + Self.policyKeys + ["into", "args", "input"]
        guard let fields = context.mapping(value, at: path, expected: "a node (a mapping with one of \(Suggestions.list(Self.kindKeys)))") else {
            return nil
        }
        let kinds = fields.entries.filter { Self.kindKeys.contains($0.key) }
        guard let kind = kinds.first else {
            var typo: (entry: YAMLMapping.Entry, kind: String)?
            for entry in fields.entries {
                if let close = Suggestions.closest(to: entry.key, among: Self.kindKeys) {
                    typo = (entry, close)
                    break
                }
            }
            let hint = typo.map { " ('\($0.entry.key)': did you mean '\($0.kind)'?)" } ?? ""
            context.error(path, at: typo?.entry.keyPosition ?? keyPosition, "the node says nothing about what it does: give it one of \(Suggestions.list(Self.kindKeys))\(hint)")
            return nil
        }
        if kinds.count > 1 {
            context.error(fields.path(kinds[1].key), at: kinds[1].keyPosition, "a node has one kind, but this one has both '\(kind.key)' and '\(kinds[1].key)'; split it into two nodes joined by an edge")
            return nil
        }
        let allowed = [kind.key] + Self.policyKeys + (Self.kindExtras[kind.key] ?? [])
        var failed = false
        for entry in fields.entries where !allowed.contains(entry.key) {
            failed = true
            let owners = Self.kindExtras.filter { $0.value.contains(entry.key) }.map(\.key).sorted()
            let message: String
            if everyKey.contains(entry.key), !owners.isEmpty {
                message = "'\(entry.key)' does not apply to a \(kind.key) node; it belongs with \(Suggestions.list(owners)) nodes"
            } else {
                message = "unknown key '\(entry.key)'\(Suggestions.didYouMean(entry.key, among: allowed)); a \(kind.key) node takes \(Suggestions.list(allowed))"
            }
            context.error(fields.path(entry.key), at: entry.keyPosition, message)
        }

        let nodeKind = self.kind(kind.key, kind.value, fields: fields, id: id, path: path)
        var policy = ExecutionPolicy()
        if let value = fields.value("retry") {
            if let retry = retryPolicy(value, at: fields.path("retry")) { policy.retry = retry } else { failed = true }
        }
        if let value = fields.value("timeout") {
            if let timeout = duration(value, at: fields.path("timeout")) { policy.timeout = timeout } else { failed = true }
        }
        if let value = fields.value("fallback") {
            let fallbackPath = fields.path("fallback")
            context.alias(core: fallbackPath, to: fallbackPath, at: value.position)
            if let fallback = context.name(value, at: fallbackPath, "a node name") { policy.fallback = fallback } else { failed = true }
        }
        if let value = fields.value("success") {
            if let success = successCriterion(value, at: fields.path("success")) { policy.success = success } else { failed = true }
        }
        if let value = fields.value("budget") {
            if let budget = nodeBudget(value, at: fields.path("budget")) { policy.budget = budget } else { failed = true }
        }
        var maxVisits = BatonCore.Node.defaultMaxVisits
        if let value = fields.value("max_visits") {
            let visitsPath = fields.path("max_visits")
            context.alias(core: visitsPath, to: visitsPath, at: value.position)
            if let visits = context.integer(value, at: visitsPath) { maxVisits = visits } else { failed = true }
        }
        var into: String?
        if let value = fields.value("into") {
            into = stateKey(value, at: fields.path("into"))
            if into == nil { failed = true }
        }
        var summary: String?
        if let value = fields.value("description") {
            summary = context.string(value, at: fields.path("description"), expected: "a description")
            if summary == nil { failed = true }
        }
        guard let nodeKind, !failed else { return nil }
        return BatonCore.Node(id, nodeKind, policy: policy, maxVisits: maxVisits, into: into, summary: summary)
    }

    /// A state key written by `into` (a top-level key, not a path).
    func stateKey(_ node: YAMLNode, at path: String) -> String? {
        context.name(node, at: path, "a state key")
    }

    private func kind(_ key: String, _ value: YAMLNode, fields: YAMLMapping, id: String, path: String) -> NodeKind? {
        let kindPath = fields.path(key)
        switch key {
        case "function": return function(value, at: kindPath)
        case "set": return assignments(value, at: kindPath)
        case "tool": return tool(value, at: kindPath, fields: fields)
        case "agent": return agent(value, at: kindPath, fields: fields)
        case "branch": return branch(value, at: kindPath, nodePath: path)
        case "map": return map(value, at: kindPath, nodePath: path)
        case "wait": return wait(value, at: kindPath)
        case "approval": return approval(value, at: kindPath)
        default: return subworkflow(value, at: kindPath, fields: fields)
        }
    }
}
