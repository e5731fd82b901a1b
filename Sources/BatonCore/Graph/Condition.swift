/// A yes/no decision over a scope (`state`, `output`, `input`, `item`): used by conditional edges,
/// branch nodes and success criteria.
public enum Condition: Sendable {
    /// An expression in Baton's expression language, e.g. `state.score >= 0.8`.
    case expression(Expression)
    /// A Swift predicate over the scope. It must be deterministic.
    case predicate(name: String, @Sendable (JSON) -> Bool)

    /// Whether the condition holds in `scope`.
    public func holds(in scope: JSON) throws -> Bool {
        switch self {
        case let .expression(expression): return try expression.isTrue(in: scope)
        case let .predicate(_, predicate): return predicate(scope)
        }
    }

    /// Parses an expression condition.
    public static func when(_ source: String) throws -> Condition { .expression(try Expression(source)) }

    var structure: JSON {
        switch self {
        case let .expression(expression): return .string(expression.source)
        case let .predicate(name, _): return ["predicate": .string(name)]
        }
    }
}
