/// A request for a human decision, made by an `approval` node or by a policy that sends an
/// action to approval: what would happen, why it needs approval, how risky it is, the arguments
/// it would run with, and which role may decide.
///
/// The run that asked parks (status `waiting`; it holds no thread and no memory, only rows) until
/// someone who holds ``role`` approves or rejects it, or until ``deadline`` passes and
/// ``onTimeout`` decides.
public struct ApprovalRequest: Sendable, Hashable, Codable {
    /// Stable across re-executions of the step that asked: `run/step/approval` for a node,
    /// `run/step/<call>` for an agent's tool call.
    public var id: String
    public var run: RunID
    /// The step that asked (`superstep.position`).
    public var step: String
    /// The node that asked.
    public var node: String
    /// What would happen, in a sentence for the approver ("refund 250.00 EUR to c-17").
    public var action: String
    /// Why it needs approval (the node's reason, or the policy rule that asked).
    public var reason: String
    public var risk: ToolRisk
    /// What the action would run with; an approver may approve it with edited arguments.
    public var arguments: JSON
    /// The role whose holders may decide.
    public var role: String
    /// Milliseconds since 1970.
    public var requestedAt: Int64
    /// When the request expires (milliseconds since 1970); `nil` waits for ever.
    public var deadline: Int64?
    /// What an expired request decides.
    public var onTimeout: ApprovalTimeoutOutcome

    public init(
        id: String, run: RunID, step: String, node: String, action: String, reason: String, risk: ToolRisk = .medium,
        arguments: JSON = .object([:]), role: String, requestedAt: Int64, deadline: Int64? = nil, onTimeout: ApprovalTimeoutOutcome = .reject
    ) {
        self.id = id
        self.run = run
        self.step = step
        self.node = node
        self.action = action
        self.reason = reason
        self.risk = risk
        self.arguments = arguments
        self.role = role
        self.requestedAt = requestedAt
        self.deadline = deadline
        self.onTimeout = onTimeout
    }

    /// True when the deadline has passed at `now` (milliseconds since 1970).
    public func isExpired(at now: Int64) -> Bool { deadline.map { now >= $0 } ?? false }
}

/// What a request that no one decided in time decides.
public enum ApprovalTimeoutOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// The action does not happen (the safe default).
    case reject
    /// The action happens as requested.
    case approve
}
