/// A policy that cannot be built: a bad glob or field path, or a rule whose parts do not fit
/// together. Each message says what was wrong and what to write instead.
///
/// Evaluating a policy never throws: a rule that fails while it is evaluated denies the action
/// (see ``PolicyEngine``). These errors come from building policies, in Swift or from YAML.
public enum PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A name pattern (``Glob``) that does not parse.
    case invalidGlob(pattern: String, reason: String)
    /// A path into arguments or results (``RedactionPath``) that does not parse.
    case invalidFieldPath(path: String, reason: String)
    /// A policy as a whole is wrong (an empty name, two rules with one id).
    case invalidPolicy(policy: String, reason: String)
    /// Rule number `index` (0-based, in the policy's order) is wrong.
    case invalidRule(policy: String, rule: String, index: Int, reason: String)

    /// What is wrong and what to do, without saying where.
    public var reason: String {
        switch self {
        case let .invalidGlob(_, reason), let .invalidFieldPath(_, reason), let .invalidPolicy(_, reason), let .invalidRule(_, _, _, reason):
            return reason
        }
    }

    public var description: String {
        switch self {
        case let .invalidGlob(pattern, reason): return "invalid glob '\(pattern)': \(reason)"
        case let .invalidFieldPath(path, reason): return "invalid field path '\(path)': \(reason)"
        case let .invalidPolicy(policy, reason): return "policy '\(policy)': \(reason)"
        case let .invalidRule(policy, rule, _, reason): return "policy '\(policy)', rule '\(rule)': \(reason)"
        }
    }
}
