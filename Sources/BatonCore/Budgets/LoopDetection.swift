/// How a run and its agents notice that they go round in circles, and what they do then.
///
/// Two signs: an agent calls the same tool with the same arguments again and again (by default
/// the third identical call is a loop), or the run's supersteps stop changing its state (off by
/// default: cycles are also bounded by every node's `max_visits`).
public struct LoopDetection: Sendable, Hashable {
    /// Identical calls (same tool, same arguments) in one agent's conversation that make a loop;
    /// `nil` does not look.
    public var sameToolCalls: Int?
    /// Supersteps in a row that leave the state as it was; `nil` does not look.
    public var unchangedStateSteps: Int?
    public var action: LoopAction

    public init(sameToolCalls: Int? = 3, unchangedStateSteps: Int? = nil, action: LoopAction = .stop) {
        self.sameToolCalls = sameToolCalls.map { max(2, $0) }
        self.unchangedStateSteps = unchangedStateSteps.map { max(1, $0) }
        self.action = action
    }

    /// Identical calls: the third is a loop; the state is not watched; a loop stops the run.
    public static let `default` = LoopDetection()

    var json: JSON {
        var members: [String: JSON] = ["action": .string(action.rawValue)]
        if let sameToolCalls { members["same_tool_calls"] = .int(sameToolCalls) }
        if let unchangedStateSteps { members["unchanged_state_steps"] = .int(unchangedStateSteps) }
        return .object(members)
    }
}

/// What a detected loop does.
public enum LoopAction: String, Sendable, Hashable, CaseIterable {
    /// The run stops with status `limit_exceeded` and the reason.
    case stop
    /// An agent's repeated call is refused (the model is told why) and the agent moves one model
    /// up its router; without a stronger model it stops as `stop` does. A run whose state stopped
    /// changing records the event and goes on until its other limits stop it.
    case escalate
}

/// A loop was detected and its action is to stop.
public struct LoopError: Error, Sendable, Hashable, CustomStringConvertible, NodeErrorConvertible {
    public var detail: String

    public init(detail: String) { self.detail = detail }

    public static let code = "loop_detected"

    public var description: String { "a loop was detected: \(detail)" }

    public var nodeError: NodeError { NodeError(code: Self.code, message: description, retryable: false) }
}
