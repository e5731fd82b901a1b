/// A node of a parsed expression's syntax tree. Built once by ``ExpressionParser``; evaluation walks
/// it without looking at the source again.
struct ExpressionNode: Sendable {
    indirect enum Kind: Sendable {
        /// A constant: a literal, or an array or object literal made only of constants.
        case literal(JSON)
        /// A top-level name, looked up among the context object's members.
        case root(String)
        /// `base.name`
        case member(ExpressionNode, String)
        /// `base[index]`
        case index(ExpressionNode, ExpressionNode)
        /// `[a, b]` with at least one element that is not a constant.
        case array([ExpressionNode])
        /// `{a: x, 'b': y}` with at least one value that is not a constant.
        case object([(key: String, value: ExpressionNode)])
        case unary(ExpressionUnaryOperator, ExpressionNode)
        case binary(ExpressionBinaryOperator, ExpressionNode, ExpressionNode)
        /// `a && b && c` or `a || b || c`, flattened.
        case logical(ExpressionLogicalOperator, [ExpressionNode])
        /// `condition ? then : otherwise`
        case conditional(ExpressionNode, ExpressionNode, ExpressionNode)
        case call(ExpressionFunction, [ExpressionNode])
        /// `matches(subject, 'literal pattern')`, the pattern compiled at parse time.
        case match(ExpressionNode, ExpressionRegex)
    }

    let kind: Kind
    /// Where errors about this node point: its operator, function name or first token (scalar offset).
    let offset: Int
    /// Where the node's text starts (scalar offset); errors about an argument point here.
    let start: Int
    /// Levels of nesting below and including this node; bounded so evaluation cannot exhaust the stack.
    let height: Int

    init(_ kind: Kind, offset: Int, start: Int) {
        self.kind = kind
        self.offset = offset
        self.start = start
        self.height = 1 + (Self.children(of: kind).map(\.height).max() ?? 0)
    }

    private static func children(of kind: Kind) -> [ExpressionNode] {
        switch kind {
        case .literal, .root: return []
        case let .member(base, _): return [base]
        case let .index(base, index): return [base, index]
        case let .array(elements): return elements
        case let .object(members): return members.map(\.value)
        case let .unary(_, operand): return [operand]
        case let .binary(_, left, right): return [left, right]
        case let .logical(_, operands): return operands
        case let .conditional(condition, then, otherwise): return [condition, then, otherwise]
        case let .call(_, arguments): return arguments
        case let .match(subject, _): return [subject]
        }
    }

    /// The constant this node stands for, if it is one.
    var constant: JSON? {
        if case let .literal(value) = kind { return value }
        return nil
    }
}
