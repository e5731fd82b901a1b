/// An expression that could not be parsed or evaluated: which expression, where, and what to do.
///
/// Parse errors (an unterminated string, an unknown function, trailing text) are thrown by
/// ``Expression/init(_:)``; evaluation errors (comparing a string with a number, dividing by zero)
/// by ``Expression/evaluate(in:)``. Both point at the offending character:
///
/// ```swift
/// do {
///     _ = try Expression("state.count >> 2")
/// } catch {
///     print(error)
///     // in expression `state.count >> 2` at column 14: unexpected '>', expected an operand
/// }
/// ```
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text of the expression.
    public var source: String
    /// The 1-based column, in characters from the start of ``source``, of the offending character.
    /// A line break counts as one character.
    public var column: Int
    /// What went wrong and, where it can, what to write instead.
    public var reason: String

    /// Creates an error at a 1-based character column.
    public init(source: String, column: Int, reason: String) {
        self.source = source
        self.column = column
        self.reason = reason
    }

    /// Creates an error at an offset counted in Unicode scalars, the unit the lexer works in.
    init(source: String, scalarOffset: Int, reason: String) {
        let prefix = String(String.UnicodeScalarView(source.unicodeScalars.prefix(max(0, scalarOffset))))
        self.init(source: source, column: prefix.count + 1, reason: reason)
    }

    public var description: String {
        "in expression `\(Self.excerpt(of: source, around: column))` at column \(column): \(reason)"
    }

    /// The source on one line; a long source is cut to a window around `column`.
    private static func excerpt(of source: String, around column: Int) -> String {
        let characters = source.map { $0.isNewline || $0 == "\t" ? " " : $0 }
        let width = 80
        guard characters.count > width else { return String(characters) }
        let start = max(0, min(column - 1 - width / 2, characters.count - width))
        let end = min(characters.count, start + width)
        return (start > 0 ? "…" : "") + String(characters[start..<end]) + (end < characters.count ? "…" : "")
    }
}
