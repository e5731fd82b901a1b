/// What a guardrail does when it trips, as configured for it.
public enum GuardrailAction: Sendable, Hashable, CustomStringConvertible {
    /// The content (or the action carrying it) is refused, with a reason naming what was found.
    case deny
    /// What was found is replaced by a marker such as `[REDACTED:email]` and the content goes on.
    /// Only guardrails that locate what they find can redact: detectors, deny patterns and
    /// custom guardrails whose findings have ranges.
    case redact
    /// The content waits for a person who holds `role` to approve it.
    case requireApproval(role: String)

    /// `deny`, `redact` or `require_approval`.
    public var name: String {
        switch self {
        case .deny: return "deny"
        case .redact: return "redact"
        case .requireApproval: return "require_approval"
        }
    }

    /// `"deny"`, `"redact"` or `{"require_approval": ROLE}`, as in YAML.
    public var json: JSON {
        switch self {
        case .deny, .redact: return .string(name)
        case let .requireApproval(role): return ["require_approval": .string(role)]
        }
    }

    /// `deny`, `redact` or `require approval by ROLE`, for messages.
    public var description: String {
        switch self {
        case .deny, .redact: return name
        case let .requireApproval(role): return "require approval by \(role)"
        }
    }

    /// Deny outranks approval, which outranks redaction.
    var rank: Int {
        switch self {
        case .redact: return 1
        case .requireApproval: return 2
        case .deny: return 3
        }
    }
}

/// What to do with content, all guardrails of a stage considered.
public enum GuardrailDecision: Sendable, Hashable {
    /// Nothing tripped: the content goes on as it is.
    case allow
    /// Only redacting guardrails tripped: the content goes on as ``GuardrailVerdict/redacted(_:)`` returns it.
    case redact
    /// The content (redacted, if redacting guardrails tripped too) waits for an approval by each
    /// of these roles, in the order the guardrails asked.
    case requireApproval(roles: [String])
    /// The content is refused, for this reason.
    case deny(reason: String)

    /// `allow`, `redact`, `require_approval` or `deny`.
    public var name: String {
        switch self {
        case .allow: return "allow"
        case .redact: return "redact"
        case .requireApproval: return "require_approval"
        case .deny: return "deny"
        }
    }
}
