extension EventType {
    /// The policies decided about an action, before it or after it: the receipt (``PolicyReceipt/json``)
    /// naming the policy and the rule that decided, the decision and the reason.
    public static let policyDecided: EventType = "policy.decided"
}
