/// What the policies decided about one action, and who decided: the record that goes into the
/// journal as a `policy.decided` event (``json``). Its ``reason`` is written when it is read
/// (PolicyReceipt+Reason.swift), so that deciding costs no text.
public struct PolicyReceipt: Sendable {
    /// Before the action, or after it.
    public let stage: PolicyStage
    /// What happens to the action.
    public let verdict: PolicyVerdict
    /// What made the decision, for ``reason``, ``retryAfter`` and ``failure``.
    let explanation: Explanation
    /// The policy whose rule (or default) decided; `nil` when no rule decided and no policy
    /// denies by default.
    public let policy: String?
    /// The rule that decided; `nil` when a policy's default did.
    public let rule: String?
    /// Where that rule was written, when it came from a file.
    public let location: PolicyLocation?
    /// Who acted.
    public let subject: PolicySubject
    /// The kind of the action decided.
    public let actionKind: PolicyAction.Kind
    /// Its name: the model, tool, namespace, target agent or host.
    public let actionName: String
    /// How long the decision took.
    public let evaluationTime: Duration

    /// True for ``PolicyVerdict/allow`` and ``PolicyVerdict/redact(_:)``: the action may go on
    /// (with ``applying(to:)`` its arguments or result).
    public var isAllowed: Bool {
        switch verdict {
        case .allow, .redact: return true
        case .deny, .requireApproval: return false
        }
    }

    /// `value` (the arguments before the action, the result after it) as it may go on: with the
    /// fields of a ``PolicyVerdict/redact(_:)`` verdict replaced by `"[REDACTED]"`, else as it is.
    public func applying(to value: JSON) -> JSON {
        guard case let .redact(paths) = verdict else { return value }
        return value.redacting(paths)
    }

    /// The data of the `policy.decided` event: `stage`, `decision`, `reason`, `policy`, `rule`
    /// (`null` for a default), `action` (`{kind, name}`), `agent`, `evaluation_us`, and when they
    /// apply `location`, `retry_after_ms`, `error`, `approval` and `fields`.
    public var json: JSON {
        var members: [String: JSON] = [
            "stage": .string(stage.rawValue), "decision": .string(verdict.name), "reason": .string(reason),
            "policy": policy.map(JSON.string) ?? .null, "rule": rule.map(JSON.string) ?? .null,
            "action": ["kind": .string(actionKind.rawValue), "name": .string(actionName)],
            "agent": subject.agent.map(JSON.string) ?? .null,
            "evaluation_us": .double((evaluationTime.seconds * 1e7).rounded() / 10),
        ]
        if let location { members["location"] = .string(location.description) }
        if let retryAfter { members["retry_after_ms"] = .int(Int((retryAfter.seconds * 1000).rounded(.up))) }
        if let failure { members["error"] = .string(failure) }
        switch verdict {
        case let .requireApproval(approval): members["approval"] = approval.json
        case let .redact(paths): members["fields"] = .array(paths.map { .string($0.path) })
        case .allow, .deny: break
        }
        return .object(members)
    }
}

/// What happens to an action, once the policies have decided.
public enum PolicyVerdict: Sendable, Hashable {
    /// Go ahead.
    case allow
    /// Do not (before the action), or withhold the result (after it); the receipt says why.
    case deny
    /// Park until someone with the role approves, or the timeout decides.
    case requireApproval(ApprovalRequirement)
    /// Go ahead with these fields of the arguments (before) or of the result (after) redacted.
    case redact([RedactionPath])

    /// `allow`, `deny`, `require_approval` or `redact`.
    public var name: String {
        switch self {
        case .allow: return "allow"
        case .deny: return "deny"
        case .requireApproval: return "require_approval"
        case .redact: return "redact"
        }
    }
}
