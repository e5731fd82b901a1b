/// What a rule decides when it matches.
public enum PolicyDecision: Sendable, Hashable {
    /// The action goes ahead.
    case allow
    /// The action does not happen; `reason` says why (the model, the operator and the event see it).
    case deny(reason: String)
    /// The action waits until someone with a role approves it (or the timeout decides).
    case requireApproval(ApprovalRequirement)
    /// The action goes ahead with these fields of its arguments (before it) or of its result
    /// (after it) replaced by `"[REDACTED]"`.
    case redact([RedactionPath])
    /// The action goes ahead unless the limit is reached; past it, it is denied with when to
    /// retry. Either way the rule decides.
    case rateLimit(RateLimit)

    /// How policy files and events name the decision: `allow`, `deny`, `require_approval`,
    /// `redact`, `rate_limit`.
    public var name: String {
        switch self {
        case .allow: return "allow"
        case .deny: return "deny"
        case .requireApproval: return "require_approval"
        case .redact: return "redact"
        case .rateLimit: return "rate_limit"
        }
    }
}
