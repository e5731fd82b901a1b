/// What happens when spending reaches a share of a budget's limit, before the limit itself stops
/// anything: always an event (`budget.soft_limit`), and then the action.
public struct SoftLimit: Sendable, Hashable {
    /// The share of each limit (greater than 0, less than 1) at which it acts.
    public var share: Double
    public var action: SoftLimitAction

    public init(share: Double = 0.8, action: SoftLimitAction = .record) {
        self.share = min(max(share, 0.01), 0.99)
        self.action = action
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
}
