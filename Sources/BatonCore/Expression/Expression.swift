/// A small, safe expression over JSON: the conditions of workflow branches and edges, success
/// criteria, and policy predicates.
///
/// An expression is parsed once, when it is created, and can then be evaluated any number of
/// times, from any thread, against a JSON context. Top-level names resolve against the context
/// object's members; a missing member or an index out of range is `null`, never an error:
///
/// ```swift
/// let done = try Expression("output.score >= 0.8 && !('error' in output.flags)")
/// let context: JSON = ["output": ["score": 0.93, "flags": ["draft"]]]
/// try done.isTrue(in: context)          // true
/// try Expression("state.a.b == null").isTrue(in: context)   // true: `state` is missing
/// done.referencedRoots                  // ["output"]
/// ```
///
/// The language has literals, paths, arithmetic, comparisons, `&&`/`||`/`not`, `in`, `a ? b : c`
/// and a fixed set of functions (`len`, `lower`, `matches`, `default`, …); docs/expressions.md is
/// the reference. It has no loops, assignment or side effects. Sources longer than
/// ``maximumLength`` characters or nested deeper than ``maximumDepth`` levels are rejected, so
/// hostile input costs bounded time and stack.
///
/// Two expressions are equal when their sources are equal.
public struct Expression: Sendable, Hashable, CustomStringConvertible {
    /// The longest source accepted, in characters.
    public static let maximumLength = 10_000
    /// The deepest nesting accepted: parentheses, brackets, operators and path steps all count.
    public static let maximumDepth = 128

    /// The text the expression was parsed from.
    public let source: String
    private let root: ExpressionNode
    private let roots: Set<String>

    /// Parses `source`. Throws ``ExpressionError`` (with the column) for a syntax error, an unknown
    /// function, a wrong number of arguments, an invalid literal regular expression, or a source
    /// that is too long or too deeply nested.
    public init(_ source: String) throws(ExpressionError) {
        let parsed = try ExpressionParser.parse(source)
        self.source = source
        self.root = parsed.node
        self.roots = parsed.roots
    }

    /// The value of the expression in `context`, usually an object such as
    /// `{"state": …, "output": …}`; when the context is not an object every name is `null`.
    ///
    /// Throws ``ExpressionError`` for a type error (`'a' < 1`, `-'a'`), a division by zero, a number
    /// too large to represent, or an invalid pattern computed at run time. Never traps.
    public func evaluate(in context: JSON) throws(ExpressionError) -> JSON {
        try ExpressionEvaluator(source: source, context: context).evaluate(root)
    }

    /// Whether the expression's value in `context` is truthy (see ``JSON/isTruthy``): `null`,
    /// `false`, `0`, `""`, `[]` and `{}` are false, everything else is true.
    public func isTrue(in context: JSON) throws(ExpressionError) -> Bool {
        try evaluate(in: context).isTruthy
    }

    /// The top-level names the expression reads, such as `["state", "output"]`; a loader can check
    /// them against the names a workflow provides. Function names and object-literal keys are not
    /// included.
    public var referencedRoots: Set<String> { roots }

    /// The source text.
    public var description: String { source }

    public static func == (lhs: Expression, rhs: Expression) -> Bool { lhs.source == rhs.source }

    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
