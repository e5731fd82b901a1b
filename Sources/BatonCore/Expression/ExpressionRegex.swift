import Foundation

/// A compiled regular expression for `matches(s, pattern)`: ICU syntax through
/// `NSRegularExpression`, which behaves the same on Apple platforms and Linux. A literal pattern is
/// compiled once, when the expression is parsed.
struct ExpressionRegex: Sendable {
    /// The pattern as written.
    let pattern: String
    private let regex: NSRegularExpression

    /// Compiles `pattern`; returns `nil` when it is not a valid regular expression.
    init?(_ pattern: String) {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        self.pattern = pattern
        self.regex = regex
    }

    /// True when the pattern matches somewhere in `subject` (anchor it with `^…$` to match the whole).
    func matches(_ subject: String) -> Bool {
        regex.firstMatch(in: subject, range: NSRange(subject.startIndex..., in: subject)) != nil
    }

    /// What to tell the author about an invalid pattern.
    static func invalidPatternReason(_ pattern: String) -> String {
        "invalid regular expression '\(pattern)'; check its syntax (ICU regular expressions, as in '^[a-z]+[0-9]*$')"
    }
}
