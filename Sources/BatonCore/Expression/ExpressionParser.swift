/// Parses tokens into an ``ExpressionNode`` tree: precedence climbing for infix operators, recursive
/// descent for the rest. Recursion and tree height are both bounded by ``Expression/maximumDepth``,
/// so hostile input is rejected with an error instead of overflowing the stack.
struct ExpressionParser {
    private let source: String
    private let tokens: [ExpressionToken]
    private var position = 0
    private var depth = 0
    private var roots: Set<String> = []

    /// Parses `source`; returns the tree and the top-level names it reads.
    static func parse(_ source: String) throws(ExpressionError) -> (node: ExpressionNode, roots: Set<String>) {
        let length = source.count
        guard length <= Expression.maximumLength else {
            throw ExpressionError(
                source: source, column: Expression.maximumLength + 1,
                reason: "the expression is \(length) characters long, more than the limit of "
                    + "\(Expression.maximumLength); move the logic into a tool or split it into several conditions")
        }
        var parser = ExpressionParser(source: source, tokens: try ExpressionLexer.tokenize(source))
        guard !parser.current.isEnd else {
            throw ExpressionError(
                source: source, column: 1,
                reason: "the expression is empty; write a condition such as `state.done == true`")
        }
        let node = try parser.parseExpression()
        guard parser.current.isEnd else {
            throw parser.error(
                "unexpected \(parser.current.quoted) after a complete expression; "
                    + "join conditions with && or ||, or check for a missing operator or bracket")
        }
        return (node, parser.roots)
    }

    private init(source: String, tokens: [ExpressionToken]) {
        self.source = source
        self.tokens = tokens
    }

    // MARK: - Expressions

    /// A full expression, including `a ? b : c` (right-associative).
    private mutating func parseExpression() throws(ExpressionError) -> ExpressionNode {
        try enter()
        defer { depth -= 1 }
        let condition = try parseInfix(above: .or)
        guard current.isSymbol("?") else { return condition }
        let question = current.offset
        advance()
        let then = try parseExpression()
        try expect(":", "to complete the conditional `condition ? then : otherwise`")
        let otherwise = try parseExpression()
        return try make(.conditional(condition, then, otherwise), offset: question, start: condition.start)
    }

    /// Operands joined by infix operators whose precedence is at least `minimum`.
    private mutating func parseInfix(above minimum: ExpressionPrecedence) throws(ExpressionError) -> ExpressionNode {
        var left = try parsePrefix(above: minimum)
        var previous: ExpressionPrecedence?
        while let (found, width) = infixOperator(), found.precedence >= minimum {
            let offset = current.offset
            if !found.precedence.isChainable, previous == found.precedence {
                throw error(
                    "\(current.quoted) cannot follow another comparison at the same level; "
                        + "write `a < b && b < c`, or add parentheses")
            }
            previous = found.precedence
            position += width
            switch found {
            case let .logical(logical):
                var operands = [left, try parseInfix(above: logical.precedence.tighter)]
                while let (next, nextWidth) = infixOperator(), case .logical(logical) = next {
                    position += nextWidth
                    operands.append(try parseInfix(above: logical.precedence.tighter))
                }
                left = try make(.logical(logical, operands), offset: offset, start: left.start)
            case let .binary(binary):
                let right = try parseInfix(above: binary.precedence.tighter)
                left = try make(.binary(binary, left, right), offset: offset, start: left.start)
            }
        }
        return left
    }

    private enum Infix {
        case logical(ExpressionLogicalOperator)
        case binary(ExpressionBinaryOperator)

        var precedence: ExpressionPrecedence {
            switch self {
            case let .logical(logical): return logical.precedence
            case let .binary(binary): return binary.precedence
            }
        }
    }

    /// The infix operator at the current token and how many tokens spell it (`not in` takes two).
    private func infixOperator() -> (Infix, Int)? {
        switch current.kind {
        case .symbol("&&"), .word("and"): return (.logical(.and), 1)
        case .symbol("||"), .word("or"): return (.logical(.or), 1)
        case .word("in"): return (.binary(.in), 1)
        case .word("not") where token(at: position + 1).isWord("in"): return (.binary(.notIn), 2)
        case let .symbol(symbol): return ExpressionBinaryOperator(symbol: symbol).map { (.binary($0), 1) }
        default: return nil
        }
    }

    /// `!x`, `-x`, `not x`, or a postfix expression.
    private mutating func parsePrefix(above minimum: ExpressionPrecedence) throws(ExpressionError) -> ExpressionNode {
        let start = current.offset
        switch current.kind {
        case .symbol("!"), .symbol("-"):
            let isNot = current.isSymbol("!")
            advance()
            try enter()
            defer { depth -= 1 }
            let operand = try parsePrefix(above: .prefix)
            if !isNot, let value = operand.constant, let negated = Self.negatedLiteral(value) {
                return ExpressionNode(.literal(negated), offset: start, start: start)
            }
            return try make(.unary(isNot ? .not : .negate, operand), offset: start, start: start)
        case .word("not"):
            guard minimum <= .not else {
                throw error("'not' cannot be an operand here; wrap it in parentheses, as in `a == (not b)`, or use '!'")
            }
            advance()
            try enter()
            defer { depth -= 1 }
            let operand = try parseInfix(above: .not)
            return try make(.unary(.not, operand), offset: start, start: start)
        default:
            return try parsePostfix()
        }
    }

    /// Folds `-1` and `-2.5` into constants (so `items[-1]` needs no evaluation); `nil` when the
    /// literal is not a number or negating it overflows (then evaluation reports or widens it).
    private static func negatedLiteral(_ value: JSON) -> JSON? {
        switch value {
        case let .int(number) where number != Int.min: return .int(-number)
        case let .double(number): return .double(-number)
        default: return nil
        }
    }

    /// A primary followed by any number of `.name` and `[index]`.
    private mutating func parsePostfix() throws(ExpressionError) -> ExpressionNode {
        var base = try parsePrimary()
        while true {
            let offset = current.offset
            if current.isSymbol(".") {
                advance()
                guard case let .word(name) = current.kind else {
                    throw error(
                        "expected a member name after '.', found \(current.quoted); "
                            + "write [\"key\"] for keys that are not names and [0] for an index")
                }
                advance()
                base = try make(.member(base, name), offset: offset, start: base.start)
            } else if current.isSymbol("[") {
                advance()
                let index = try parseExpression()
                try expect("]", "to close the index", opening: offset)
                if case let .string(name) = index.constant {
                    base = try make(.member(base, name), offset: offset, start: base.start)
                } else {
                    base = try make(.index(base, index), offset: offset, start: base.start)
                }
            } else {
                return base
            }
        }
    }

    private mutating func parsePrimary() throws(ExpressionError) -> ExpressionNode {
        let token = current
        switch token.kind {
        case let .number(value):
            advance()
            return ExpressionNode(.literal(value), offset: token.offset, start: token.offset)
        case let .string(value):
            advance()
            return ExpressionNode(.literal(.string(value)), offset: token.offset, start: token.offset)
        case .word("true"), .word("false"), .word("null"):
            advance()
            let value: JSON = token.isWord("null") ? .null : .bool(token.isWord("true"))
            return ExpressionNode(.literal(value), offset: token.offset, start: token.offset)
        case let .word(name) where !ExpressionToken.keywords.contains(name):
            advance()
            if current.isSymbol("(") { return try parseCall(name, at: token.offset) }
            roots.insert(name)
            return ExpressionNode(.root(name), offset: token.offset, start: token.offset)
        case .symbol("("):
            advance()
            let inner = try parseExpression()
            try expect(")", "to close the parenthesis", opening: token.offset)
            return inner
        case .symbol("["):
            return try parseArray()
        case .symbol("{"):
            return try parseObject()
        default:
            throw error("unexpected \(token.quoted), expected an operand (a value, a name, a call or a parenthesis)")
        }
    }

    // MARK: - Calls and literals

    private mutating func parseCall(_ name: String, at offset: Int) throws(ExpressionError) -> ExpressionNode {
        guard let function = ExpressionFunction(rawValue: name) else {
            throw ExpressionError(
                source: source, scalarOffset: offset,
                reason: "unknown function '\(name)'; the functions are \(ExpressionFunction.namesList)")
        }
        let arguments = try parseList(closing: ")", what: "the arguments of \(name)")
        if let problem = function.arityProblem(count: arguments.count) {
            throw ExpressionError(source: source, scalarOffset: offset, reason: problem)
        }
        if function == .matches, case let .string(pattern) = arguments[1].constant {
            guard let regex = ExpressionRegex(pattern) else {
                throw ExpressionError(
                    source: source, scalarOffset: arguments[1].start,
                    reason: ExpressionRegex.invalidPatternReason(pattern))
            }
            return try make(.match(arguments[0], regex), offset: offset, start: offset)
        }
        return try make(.call(function, arguments), offset: offset, start: offset)
    }

    private mutating func parseArray() throws(ExpressionError) -> ExpressionNode {
        let start = current.offset
        let elements = try parseList(closing: "]", what: "the array")
        let constants = elements.compactMap(\.constant)
        if constants.count == elements.count {
            return ExpressionNode(.literal(.array(constants)), offset: start, start: start)
        }
        return try make(.array(elements), offset: start, start: start)
    }

    /// Comma-separated expressions after the opening token (the current one), up to `closing`; a
    /// trailing comma is allowed.
    private mutating func parseList(closing: String, what: String) throws(ExpressionError) -> [ExpressionNode] {
        let opening = current.offset
        advance()
        var elements: [ExpressionNode] = []
        while !current.isSymbol(closing) {
            elements.append(try parseExpression())
            if current.isSymbol(",") {
                advance()
            } else if !current.isSymbol(closing) {
                throw error(
                    "unexpected \(current.quoted) in \(what); separate items with ',' and close with '\(closing)' "
                        + "(opened at column \(column(of: opening)))")
            }
        }
        advance()
        return elements
    }

    private mutating func parseObject() throws(ExpressionError) -> ExpressionNode {
        let start = current.offset
        advance()
        var members: [(key: String, value: ExpressionNode)] = []
        var seen: Set<String> = []
        while !current.isSymbol("}") {
            let key: String
            switch current.kind {
            case let .word(word): key = word
            case let .string(string): key = string
            default:
                throw error(
                    "unexpected \(current.quoted) in the object opened at column \(column(of: start)); "
                        + "expected a key (a name or a quoted string) or '}'")
            }
            guard seen.insert(key).inserted else { throw error("the key '\(key)' appears twice in the object") }
            advance()
            try expect(":", "after the key '\(key)'")
            members.append((key, try parseExpression()))
            if current.isSymbol(",") {
                advance()
            } else if !current.isSymbol("}") {
                throw error(
                    "unexpected \(current.quoted) in the object opened at column \(column(of: start)); "
                        + "separate members with ',' and close with '}'")
            }
        }
        advance()
        let constants = members.compactMap { member in member.value.constant.map { (member.key, $0) } }
        if constants.count == members.count {
            let object = Dictionary(constants, uniquingKeysWith: { _, last in last })
            return ExpressionNode(.literal(.object(object)), offset: start, start: start)
        }
        return try make(.object(members), offset: start, start: start)
    }

    // MARK: - Helpers

    private var current: ExpressionToken { token(at: position) }

    private func token(at index: Int) -> ExpressionToken {
        // The last token is always `.end`, so reading past it keeps returning it.
        index < tokens.count ? tokens[index] : tokens[tokens.count - 1]
    }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    /// Consumes `symbol`, or throws naming its `purpose` and, for a closing bracket, where it opened.
    private mutating func expect(_ symbol: String, _ purpose: String, opening: Int? = nil) throws(ExpressionError) {
        guard current.isSymbol(symbol) else {
            let opened = opening.map { " opened at column \(column(of: $0))" } ?? ""
            throw error("unexpected \(current.quoted), expected '\(symbol)' \(purpose)\(opened)")
        }
        advance()
    }

    private mutating func enter() throws(ExpressionError) {
        depth += 1
        if depth > Expression.maximumDepth { throw nestingError(at: current.offset) }
    }

    /// Builds a node, rejecting trees taller than the limit (long chains like `a.b.c…` or `1+1+…`
    /// deepen the tree without deepening the parser's recursion).
    private func make(_ kind: ExpressionNode.Kind, offset: Int, start: Int) throws(ExpressionError) -> ExpressionNode {
        let node = ExpressionNode(kind, offset: offset, start: start)
        if node.height > Expression.maximumDepth { throw nestingError(at: offset) }
        return node
    }

    private func nestingError(at offset: Int) -> ExpressionError {
        ExpressionError(
            source: source, scalarOffset: offset,
            reason: "the expression nests deeper than \(Expression.maximumDepth) levels; "
                + "split it into simpler expressions, or use `x in [a, b, c]` instead of long chains")
    }

    private func column(of offset: Int) -> Int {
        ExpressionError(source: source, scalarOffset: offset, reason: "").column
    }

    private func error(_ reason: String) -> ExpressionError {
        ExpressionError(source: source, scalarOffset: current.offset, reason: reason)
    }
}

extension ExpressionToken {
    fileprivate var isEnd: Bool { kind == .end }
}
