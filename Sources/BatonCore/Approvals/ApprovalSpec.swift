/// An `approval` node: before the run goes on, a person who holds ``role`` approves or rejects
/// ``action``, seeing ``reason``, ``risk`` and the ``arguments`` (which they may edit).
///
/// The node's output is the decision: `approved`, `by`, `comment`, `timed_out`, the request's
/// `id`, and `arguments` (the approver's edits, or the requested ones).
///
/// ```swift
/// flow.node("review", .approval(ApprovalSpec(
///     role: "finance", action: try Template("refund {{input.amount}} to {{input.customer}}"),
///     arguments: ["amount": .path(try StatePath("input.amount"))], timeout: .seconds(86_400)
/// )), into: "review")
/// ```
public struct ApprovalSpec: Sendable {
    public var role: String
    /// What the approver is asked to allow, rendered over the step's scope.
    public var action: Template
    /// Why it needs approval, rendered the same way; `nil` names the node.
    public var reason: Template?
    public var risk: ToolRisk
    /// What the approver sees and may edit, resolved against the step's scope.
    public var arguments: [String: ValueSource]
    /// How long the request waits for a decision; `nil` waits for ever.
    public var timeout: Duration?
    /// What an expired request decides.
    public var onTimeout: ApprovalTimeoutOutcome

    public init(
        role: String, action: Template, reason: Template? = nil, risk: ToolRisk = .medium, arguments: [String: ValueSource] = [:],
        timeout: Duration? = nil, onTimeout: ApprovalTimeoutOutcome = .reject
    ) {
        self.role = role
        self.action = action
        self.reason = reason
        self.risk = risk
        self.arguments = arguments
        self.timeout = timeout
        self.onTimeout = onTimeout
    }

    var structure: JSON {
        var members: [String: JSON] = [
            "role": .string(role), "action": .string(action.source), "risk": .string(risk.rawValue),
            "arguments": .object(arguments.mapValues(\.structure)), "on_timeout": .string(onTimeout.rawValue),
        ]
        if let reason { members["reason"] = .string(reason.source) }
        if let timeout { members["timeout_ms"] = .int(Int(timeout.seconds * 1000)) }
        return .object(members)
    }
}
