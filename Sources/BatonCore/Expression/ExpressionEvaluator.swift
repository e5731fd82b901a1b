/// Walks a parsed tree against a context. Holds no mutable state, so one parsed ``Expression`` can
/// be evaluated concurrently. Operators live in ExpressionEvaluator+Operators.swift, functions in
/// ExpressionEvaluator+Functions.swift.
struct ExpressionEvaluator {
    let source: String
    /// The context object's members: the values top-level names resolve to.
    private let roots: [String: JSON]

    init(source: String, context: JSON) {
        self.source = source
        self.roots = context.objectValue ?? [:]
    }

    func evaluate(_ node: ExpressionNode) throws(ExpressionError) -> JSON {
        switch node.kind {
        case let .literal(value):
            return value
        case let .root(name):
            return roots[name] ?? .null
        case let .member(base, name):
            return try evaluate(base)[name] ?? .null
        case let .index(base, index):
            return try element(of: evaluate(base), at: evaluate(index), node: node, indexNode: index)
        case let .array(elements):
            var values: [JSON] = []
            values.reserveCapacity(elements.count)
            for element in elements { values.append(try evaluate(element)) }
            return .array(values)
        case let .object(members):
            var object: [String: JSON] = [:]
            for member in members { object[member.key] = try evaluate(member.value) }
            return .object(object)
        case let .unary(.not, operand):
            return .bool(!(try evaluate(operand).isTruthy))
        case let .unary(.negate, operand):
            return try negate(evaluate(operand), at: node.offset)
        case let .binary(operation, left, right):
            return try apply(operation, try evaluate(left), try evaluate(right), at: node.offset)
        case let .logical(operation, operands):
            // Short-circuit: stop at the first operand that decides the result.
            let decisive = operation == .or
            for operand in operands {
                if try evaluate(operand).isTruthy == decisive { return .bool(decisive) }
            }
            return .bool(!decisive)
        case let .conditional(condition, then, otherwise):
            return try evaluate(condition).isTruthy ? evaluate(then) : evaluate(otherwise)
        case let .call(function, arguments):
            return try call(function, arguments, node: node)
        case let .match(subject, regex):
            let text = try string(evaluate(subject), argument: 1, of: .matches, node: subject)
            guard let matched = regex.matches(text) else { throw error(ExpressionRegex.tooLongReason(regex.pattern), at: subject.start) }
            return .bool(matched)
        }
    }

    /// `base[index]`: an integer indexes an array (negative from the end) or a string's characters,
    /// a string names an object member; anything missing or mismatched is `null`.
    private func element(
        of base: JSON, at index: JSON, node: ExpressionNode, indexNode: ExpressionNode
    ) throws(ExpressionError) -> JSON {
        switch index {
        case .null:
            return .null
        case let .string(key):
            return base[key] ?? .null
        case .int, .double:
            guard let position = index.intValue else {
                throw error(
                    "the index \(index) is not a whole number; round it with int(…) first", at: indexNode.start)
            }
            switch base {
            case let .array(elements):
                return Self.resolve(position, count: elements.count).map { elements[$0] } ?? .null
            case let .string(text):
                guard let offset = Self.resolve(position, count: text.count) else { return .null }
                return .string(String(text[text.index(text.startIndex, offsetBy: offset)]))
            default:
                return .null
            }
        default:
            throw error(
                "cannot index with \(Self.article(index.typeName)); use an integer for arrays "
                    + "and strings, or a string for object members", at: indexNode.start)
        }
    }

    /// The 0-based position `index` denotes in a collection of `count` elements (negative counts
    /// from the end), or `nil` when it is out of range.
    private static func resolve(_ index: Int, count: Int) -> Int? {
        let position = index < 0 ? count + index : index  // cannot overflow: count >= 0 > index
        return position >= 0 && position < count ? position : nil
    }

    func error(_ reason: String, at offset: Int) -> ExpressionError {
        ExpressionError(source: source, scalarOffset: offset, reason: reason)
    }

    /// "an integer", "a string": a type name with its article, for messages.
    static func article(_ typeName: String) -> String {
        if typeName == "null" { return "null" }
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        return (typeName.first.map(vowels.contains) ?? false ? "an " : "a ") + typeName
    }
}
