extension EventType {
    /// A run asked for a human decision (the request is in the data).
    public static let approvalRequested: EventType = "approval.requested"
    /// Someone who holds the request's role approved or rejected it.
    public static let approvalDecided: EventType = "approval.decided"
    /// No one decided before the deadline: the request's timeout outcome applied.
    public static let approvalExpired: EventType = "approval.expired"
}
