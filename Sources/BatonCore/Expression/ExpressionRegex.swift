/// A compiled regular expression for `matches(s, pattern)`: ECMA-262 syntax, as in JSON Schema's
/// `pattern`, run by ``SchemaRegex``, the same linear-time matcher. Matching never backtracks
/// exponentially, whatever the pattern and the subject (which may come from a model or a user).
/// A literal pattern is compiled once, when the expression is parsed.
struct ExpressionRegex: Sendable {
    /// The pattern as written.
    let pattern: String
    private let regex: SchemaRegex

    /// Compiles `pattern`; returns `nil` when it is not a valid regular expression, or uses what
    /// the linear-time matcher does not support (backreferences, script properties).
    init?(_ pattern: String) {
        guard case let .compiled(regex) = SchemaRegex.compile(pattern) else { return nil }
        self.pattern = pattern
        self.regex = regex
    }

    /// True when the pattern matches somewhere in `subject` (anchor it with `^…$` to match the
    /// whole); `nil` when the subject is too long for this pattern's memory budget.
    func matches(_ subject: String) -> Bool? {
        guard regex.visitedBits(forLength: subject.utf8.count) <= SchemaRegex.visitedBudget else { return nil }
        return regex.matches(subject)
    }

    /// What to tell the author about a pattern that does not compile.
    static func invalidPatternReason(_ pattern: String) -> String {
        "invalid regular expression '\(pattern)'; check its syntax (ECMA-262, as in JSON Schema: '^[a-z]+[0-9]*$'); backreferences are not supported"
    }

    /// What to tell the author when the subject is too long for the pattern.
    static func tooLongReason(_ pattern: String) -> String {
        "the string is too long to match against '\(pattern)' within the memory budget; match a shorter part of it"
    }
}

extension ExpressionRegex: Hashable {
    static func == (lhs: ExpressionRegex, rhs: ExpressionRegex) -> Bool { lhs.pattern == rhs.pattern }
    func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}
