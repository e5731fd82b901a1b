/// What happens when spending reaches a share of a budget's limit, before the limit itself stops
/// anything: always an event (`budget.soft_limit`), and then the action.
public struct SoftLimit: Sendable, Hashable {
    /// The share of each limit (greater than 0, less than 1) at which it acts.
    public var share: Double
    public var action: SoftLimitAction
    /// Who is asked, and for how much, when ``action`` is ``SoftLimitAction/extend``.
    public var extensionRequest: BudgetExtensionRequest?

    public init(share: Double = 0.8, action: SoftLimitAction = .record, extensionRequest: BudgetExtensionRequest? = nil) {
        self.share = min(max(share, 0.01), 0.99)
        self.action = action
        self.extensionRequest = extensionRequest ?? (action == .extend ? BudgetExtensionRequest() : nil)
    }

    var json: JSON {
        var members: [String: JSON] = ["share": .double(share), "action": .string(action.rawValue)]
        if action == .extend, let extensionRequest { members["extension"] = extensionRequest.json }
        return .object(members)
    }
}

/// How a soft limit acts.
public enum SoftLimitAction: String, Sendable, Hashable, CaseIterable {
    /// Only the event.
    case record
    /// Agents go on with the cheapest model of their router and escalate no further.
    case downgrade
    /// Agents shorten their transcript: the results of tool calls before the last turn are
    /// replaced by a note of their size, so each later call sends fewer tokens.
    case compact
    /// Agents replace their conversation so far with a summary written by their cheapest model
    /// (itself a journaled, budgeted model call), so each later call sends far fewer tokens.
    case summarize
    /// The run parks before its next model call or tool node and asks a human (a role) to extend
    /// the budget; approved, its limits grow by a factor and the run goes on; rejected or timed
    /// out, the run stops as `limit_exceeded`.
    case extend
}

/// The approval a soft limit with action ``SoftLimitAction/extend`` asks for.
public struct BudgetExtensionRequest: Sendable, Hashable {
    /// The role whose holders may extend the budget.
    public var role: String
    /// What each limit of the budget is multiplied by when the extension is granted (an approver
    /// may grant another factor by editing the request's `factor`).
    public var factor: Double
    /// How long the request waits for a decision (`nil`: for ever).
    public var timeout: Duration?
    /// What an expired request decides (by default the extension is refused and the run stops).
    public var onTimeout: ApprovalTimeoutOutcome

    public init(role: String = "operator", factor: Double = 2, timeout: Duration? = nil, onTimeout: ApprovalTimeoutOutcome = .reject) {
        self.role = role
        self.factor = max(1, factor)
        self.timeout = timeout
        self.onTimeout = onTimeout
    }

    var json: JSON {
        var members: [String: JSON] = ["role": .string(role), "factor": .double(factor), "on_timeout": .string(onTimeout.rawValue)]
        if let timeout { members["timeout_ms"] = .int(Int(timeout.seconds * 1000)) }
        return .object(members)
    }
}
