extension EventType {
    /// Spending reached a soft limit's share of a budget's limit; the data say which, and what
    /// the soft limit does now.
    public static let budgetSoftLimit: EventType = "budget.soft_limit"
    /// A call was refused because it would pass a budget's limit; the run stops.
    public static let budgetExceeded: EventType = "budget.exceeded"
    /// A loop was detected: the same tool with the same arguments too often, or a state that no
    /// longer changes.
    public static let loopDetected: EventType = "loop.detected"
}
