/// Who must approve an action, how long they have, and what happens if nobody decides in time.
public struct ApprovalRequirement: Sendable, Hashable {
    /// What a timeout decides.
    public enum TimeoutOutcome: String, Sendable, Hashable, CaseIterable {
        case deny, allow
    }

    /// The role whose members may decide (`finance`).
    public var role: String
    /// How long the request waits.
    public var timeout: Duration
    /// What happens when nobody decided within ``timeout``.
    public var onTimeout: TimeoutOutcome
    /// What the approver is told about why the approval is needed.
    public var reason: String?

    /// The timeout of a requirement that names none: one day.
    public static let defaultTimeout: Duration = .seconds(24 * 3600)

    /// A requirement of approval by `role`; a timeout denies unless `onTimeout` says otherwise.
    public init(role: String, timeout: Duration = ApprovalRequirement.defaultTimeout, onTimeout: TimeoutOutcome = .deny, reason: String? = nil) {
        self.role = role
        self.timeout = timeout
        self.onTimeout = onTimeout
        self.reason = reason
    }

    /// `{role, timeout_ms, on_timeout, reason}`.
    public var json: JSON {
        var members: [String: JSON] = [
            "role": .string(role), "timeout_ms": .int(Int(timeout.seconds * 1000)), "on_timeout": .string(onTimeout.rawValue),
        ]
        if let reason { members["reason"] = .string(reason) }
        return .object(members)
    }
}
