/// At most ``limit`` actions per ``window`` for each key: the values of the subject's fields
/// named in ``per`` (by default, one count per agent). The counts live in a ``RateLimiter``.
public struct RateLimit: Sendable, Hashable {
    /// What a count is kept for.
    public enum KeyField: String, Sendable, Hashable, CaseIterable {
        case agent, role, workflow, environment
        /// The action's name: one count per tool, model, namespace, agent or host.
        case action
    }

    /// The most actions allowed per key and window.
    public var limit: Int
    /// The length of the sliding window.
    public var window: Duration
    /// Which fields make the key; empty: one count for everything the rule matches.
    public var per: [KeyField]

    /// The largest ``limit`` accepted: the limiter remembers the time of each counted action.
    public static let maximumLimit = 1_000_000

    /// At most `limit` actions per `window`, counted for each value of the fields in `per`.
    public init(limit: Int, window: Duration, per: [KeyField] = [.agent]) {
        self.limit = limit
        self.window = window
        self.per = per
    }

    /// The key of `subject` doing `action`, under `rule` (a rule's counts are its own).
    func key(rule: String, subject: PolicySubject, action: PolicyAction) -> String {
        var key = rule
        for field in per {
            key.unicodeScalars.append("\u{1F}")
            switch field {
            case .agent: key += subject.agent ?? ""
            case .role: key += subject.role ?? ""
            case .workflow: key += subject.workflow ?? ""
            case .environment: key += subject.environment ?? ""
            case .action: key += action.name
            }
        }
        return key
    }
}
