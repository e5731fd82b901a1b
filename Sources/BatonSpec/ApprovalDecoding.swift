import BatonCore
import Yams

extension WorkflowDecoder {
    static let approvalKeys = ["role", "action", "reason", "risk", "arguments", "timeout", "on_timeout"]

    /// `approval: { role: finance, action: "refund {{input.amount}}", reason: …, risk: high,
    /// arguments: { … }, timeout: 24h, on_timeout: reject }`.
    func approval(_ node: YAMLNode, at path: String) -> NodeKind? {
        guard let fields = context.mapping(node, at: path, expected: "an approval (a mapping with role and action)", allowed: Self.approvalKeys) else {
            return nil
        }
        for required in ["role", "action"] where !fields.has(required) {
            context.error(path, node: node, "missing required key '\(required)' (an approval needs the role that decides and the action it allows, such as role: finance and action: \"refund {{input.amount}}\")")
        }
        var read = FieldReader(fields)
        let role = read("role") { context.name($0, at: $1, "a role name") }
        let action = read("action") { context.template($0, at: $1) }
        let reason = read("reason") { context.template($0, at: $1) }
        let risk = read("risk") { context.choice($0, at: $1, of: ToolRisk.self) }
        let arguments = read("arguments") { context.valueSources($0, at: $1) }
        let timeout = read("timeout") { duration($0, at: $1) }
        let onTimeout = read("on_timeout") { context.choice($0, at: $1, of: ApprovalTimeoutOutcome.self) }
        guard !read.failed, let role, let action else { return nil }
        return .approval(ApprovalSpec(
            role: role, action: action, reason: reason, risk: risk ?? .medium, arguments: arguments ?? [:], timeout: timeout,
            onTimeout: onTimeout ?? .reject
        ))
    }
}

extension DecodeContext {
    /// `roles: { dana: [finance], lee: [finance, ops] }`: who holds which role.
    func roles(_ node: YAMLNode, at path: String) -> Roles {
        guard let fields = mapping(node, at: path, expected: "a mapping of users to their roles, such as dana: [finance]", nullIsEmpty: true) else {
            return Roles()
        }
        var assignments: [String: Set<String>] = [:]
        for entry in fields.entries {
            let entryPath = fields.path(entry.key)
            guard !entry.key.isEmpty else {
                error(entryPath, at: entry.keyPosition, "expected a user name")
                continue
            }
            if let roles = names(entry.value, at: entryPath, "a role name") {
                assignments[entry.key] = Set(roles.map(\.name))
            }
        }
        return Roles(assignments)
    }
}
