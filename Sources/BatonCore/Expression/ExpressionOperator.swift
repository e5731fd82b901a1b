/// How tightly an operator binds, from loosest to tightest.
enum ExpressionPrecedence: Int, Sendable, Comparable {
    case conditional = 0  // a ? b : c
    case or  // || or
    case and  // && and
    case not  // not (the word; `!` binds tightest)
    case equality  // == !=
    case comparison  // < <= > >= in, not in
    case additive  // + -
    case multiplicative  // * / %
    case prefix  // ! -

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The next tighter level: the right operand of a left-associative operator parses above it.
    var tighter: ExpressionPrecedence { ExpressionPrecedence(rawValue: rawValue + 1) ?? .prefix }

    /// `a < b < c` and `a == b == c` are rejected instead of silently comparing a boolean.
    var isChainable: Bool { self != .equality && self != .comparison }
}

/// A prefix operator.
enum ExpressionUnaryOperator: Sendable, Equatable {
    /// `!x` or `not x`: the negation of the operand's truthiness.
    case not
    /// `-x`: numeric negation.
    case negate
}

/// An infix operator other than `&&` and `||` (see ``ExpressionLogicalOperator``).
enum ExpressionBinaryOperator: Sendable, Equatable {
    case equal, notEqual
    case less, lessOrEqual, greater, greaterOrEqual
    case `in`, notIn
    case add, subtract, multiply, divide, remainder

    var precedence: ExpressionPrecedence {
        switch self {
        case .equal, .notEqual: return .equality
        case .less, .lessOrEqual, .greater, .greaterOrEqual, .in, .notIn: return .comparison
        case .add, .subtract: return .additive
        case .multiply, .divide, .remainder: return .multiplicative
        }
    }

    /// The operator as written, for error messages.
    var symbol: String {
        switch self {
        case .equal: return "=="
        case .notEqual: return "!="
        case .less: return "<"
        case .lessOrEqual: return "<="
        case .greater: return ">"
        case .greaterOrEqual: return ">="
        case .in: return "in"
        case .notIn: return "not in"
        case .add: return "+"
        case .subtract: return "-"
        case .multiply: return "*"
        case .divide: return "/"
        case .remainder: return "%"
        }
    }

    /// The operator spelled by a symbol token, if any.
    init?(symbol: String) {
        switch symbol {
        case "==": self = .equal
        case "!=": self = .notEqual
        case "<": self = .less
        case "<=": self = .lessOrEqual
        case ">": self = .greater
        case ">=": self = .greaterOrEqual
        case "+": self = .add
        case "-": self = .subtract
        case "*": self = .multiply
        case "/": self = .divide
        case "%": self = .remainder
        default: return nil
        }
    }
}

/// The short-circuiting operators; a chain of the same one is kept flat (`a || b || c`).
enum ExpressionLogicalOperator: Sendable, Equatable {
    /// `&&` or `and`: true when every operand is truthy.
    case and
    /// `||` or `or`: true when some operand is truthy.
    case or

    var precedence: ExpressionPrecedence { self == .and ? .and : .or }
}
