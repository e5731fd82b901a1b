/// Who holds which role: the people who may decide approval requests.
///
/// Configuration, not identity: the command line acts as the local operator and records whom
/// its `--as` names; the HTTP API authenticates the user before it asks.
///
/// ```swift
/// let roles = Roles(["dana": ["finance"], "lee": ["finance", "ops"]])
/// roles.holds("dana", "finance")     // true
/// roles.holders(of: "finance")       // ["dana", "lee"]
/// ```
public struct Roles: Sendable, Hashable {
    /// Each user's roles.
    public var assignments: [String: Set<String>]

    public init(_ assignments: [String: Set<String>] = [:]) {
        self.assignments = assignments
    }

    /// True when `user` holds `role`.
    public func holds(_ user: String, _ role: String) -> Bool {
        assignments[user]?.contains(role) ?? false
    }

    /// The users who hold `role`, sorted.
    public func holders(of role: String) -> [String] {
        assignments.filter { $0.value.contains(role) }.keys.sorted()
    }

    /// Both assignments together: a user holds every role either gives.
    public func merging(_ other: Roles) -> Roles {
        Roles(assignments.merging(other.assignments) { $0.union($1) })
    }
}
