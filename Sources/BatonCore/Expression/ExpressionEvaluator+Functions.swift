/// The built-in functions (see ``ExpressionFunction``). Arguments are evaluated left to right,
/// except `default`, which evaluates its fallback only when it is needed. Type errors point at the
/// offending argument.
extension ExpressionEvaluator {
    func call(
        _ function: ExpressionFunction, _ arguments: [ExpressionNode], node: ExpressionNode
    ) throws(ExpressionError) -> JSON {
        if function == .default {
            let value = try evaluate(arguments[0])
            return value == .null ? try evaluate(arguments[1]) : value
        }
        var values: [JSON] = []
        values.reserveCapacity(arguments.count)
        for argument in arguments { values.append(try evaluate(argument)) }
        let first = values[0]

        switch function {
        case .len:
            switch first {
            case let .string(text): return .int(text.count)
            case let .array(elements): return .int(elements.count)
            case let .object(members): return .int(members.count)
            default: throw typeError(function, 1, expected: "a string, an array or an object", got: first, arguments)
            }
        case .lower:
            return .string(try string(first, argument: 1, of: function, node: arguments[0]).lowercased())
        case .upper:
            return .string(try string(first, argument: 1, of: function, node: arguments[0]).uppercased())
        case .contains:
            return .bool(try contains(values[1], in: first, spelling: "contains(haystack, needle)", at: node.offset))
        case .startsWith, .endsWith:
            let text = try string(first, argument: 1, of: function, node: arguments[0])
            let affix = try string(values[1], argument: 2, of: function, node: arguments[1])
            return .bool(function == .startsWith ? text.hasPrefix(affix) : text.hasSuffix(affix))
        case .matches:
            let text = try string(first, argument: 1, of: function, node: arguments[0])
            let pattern = try string(values[1], argument: 2, of: function, node: arguments[1])
            guard let regex = ExpressionRegex(pattern) else {
                throw error(ExpressionRegex.invalidPatternReason(pattern), at: arguments[1].start)
            }
            guard let matched = regex.matches(text) else {
                throw error(ExpressionRegex.tooLongReason(pattern), at: arguments[0].start)
            }
            return .bool(matched)
        case .exists:
            return .bool(first != .null)
        case .number:
            return try number(first, function: function, arguments)
        case .int:
            return try integer(first, arguments)
        case .string:
            if case .string = first { return first }
            return .string(first.canonicalString)
        case .abs:
            switch first {
            case let .int(value): return value == Int.min ? .double(-Double(value)) : .int(Swift.abs(value))
            case let .double(value): return .double(Swift.abs(value))
            default: throw typeError(function, 1, expected: "a number", got: first, arguments)
            }
        case .min, .max:
            return try extreme(function, values, arguments)
        case .sum:
            return try sum(array(first, of: function, arguments), arguments)
        case .any:
            return .bool(try array(first, of: function, arguments).contains(where: \.isTruthy))
        case .all:
            return .bool(try array(first, of: function, arguments).allSatisfy(\.isTruthy))
        case .keys:
            guard case let .object(members) = first else {
                throw typeError(function, 1, expected: "an object", got: first, arguments)
            }
            return .array(JSON.sortedKeys(members).map(JSON.string))
        case .default:
            return first  // handled above
        }
    }

    /// The string in `value`, or a type error pointing at `node`.
    func string(
        _ value: JSON, argument: Int, of function: ExpressionFunction, node: ExpressionNode
    ) throws(ExpressionError) -> String {
        guard case let .string(text) = value else {
            throw typeError(function, argument, expected: "a string", got: value, node: node)
        }
        return text
    }

    private func array(
        _ value: JSON, of function: ExpressionFunction, _ arguments: [ExpressionNode]
    ) throws(ExpressionError) -> [JSON] {
        guard case let .array(elements) = value else {
            throw typeError(function, 1, expected: "an array", got: value, arguments)
        }
        return elements
    }

    /// `number(x)`: numbers unchanged, `true`/`false` as 1/0, strings in JSON number syntax.
    private func number(
        _ value: JSON, function: ExpressionFunction, _ arguments: [ExpressionNode]
    ) throws(ExpressionError) -> JSON {
        switch value {
        case .int, .double: return value
        case let .bool(flag): return .int(flag ? 1 : 0)
        case let .string(text):
            var trimmed = Substring(text)
            while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
            while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
            if let parsed = try? JSON(parsing: String(trimmed)), parsed.isNumber,
                parsed.doubleValue?.isFinite == true
            {
                return parsed
            }
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            throw error(
                "\(function.rawValue) cannot read '\(shown)' as a number; it accepts numbers written "
                    + "as in JSON, such as 42, -1.5 or 2e3", at: arguments[0].start)
        default:
            throw typeError(function, 1, expected: "a number, a string or a boolean", got: value, arguments)
        }
    }

    /// `int(x)`: like `number(x)`, then truncated toward zero.
    private func integer(_ value: JSON, _ arguments: [ExpressionNode]) throws(ExpressionError) -> JSON {
        let number = try number(value, function: .int, arguments)
        guard case let .double(real) = number else { return number }
        guard let whole = Int(exactly: real.rounded(.towardZero)) else {
            throw error("int cannot represent \(number) as a 64-bit integer; keep it a number", at: arguments[0].start)
        }
        return .int(whole)
    }

    /// `min(…)` / `max(…)`: of the arguments, or of the elements of a single array argument; `null`
    /// for an empty array. The values must all be numbers or all be strings.
    private func extreme(
        _ function: ExpressionFunction, _ values: [JSON], _ arguments: [ExpressionNode]
    ) throws(ExpressionError) -> JSON {
        let candidates: [JSON]
        if values.count == 1 {
            guard case let .array(elements) = values[0] else {
                throw typeError(function, 1, expected: "an array (or several values)", got: values[0], arguments)
            }
            candidates = elements
        } else {
            candidates = values
        }
        guard var best = candidates.first else { return .null }
        guard best.isNumber || best.stringValue != nil else {
            throw typeError(function, 1, expected: "numbers or strings", got: best, arguments)
        }
        for (position, candidate) in candidates.enumerated().dropFirst() {
            let ordered = function == .min ? Self.isLess(candidate, best) : Self.isLess(best, candidate)
            guard let ordered else {
                throw error(
                    "\(function.rawValue) needs numbers or strings of one kind, not \(Self.article(best.typeName)) "
                        + "and \(Self.article(candidate.typeName))",
                    at: (values.count > 1 ? arguments[position] : arguments[0]).start)
            }
            if ordered { best = candidate }
        }
        return best
    }

    /// `sum(array)`: integer while every element is an integer and nothing overflows, else `Double`.
    private func sum(_ elements: [JSON], _ arguments: [ExpressionNode]) throws(ExpressionError) -> JSON {
        var integerTotal = 0
        var realTotal: Double?
        for (position, element) in elements.enumerated() {
            switch element {
            case let .int(value) where realTotal == nil:
                let (next, overflow) = integerTotal.addingReportingOverflow(value)
                if overflow { realTotal = Double(integerTotal) + Double(value) } else { integerTotal = next }
            case .int, .double:
                realTotal = (realTotal ?? Double(integerTotal)) + (element.doubleValue ?? 0)
            default:
                throw error(
                    "sum needs an array of numbers, but element \(position) is \(Self.article(element.typeName))",
                    at: arguments[0].start)
            }
        }
        guard let realTotal else { return .int(integerTotal) }
        guard realTotal.isFinite else {
            throw error("the sum is too large to represent", at: arguments[0].start)
        }
        return .double(realTotal)
    }

    private func typeError(
        _ function: ExpressionFunction, _ argument: Int, expected: String, got value: JSON,
        _ arguments: [ExpressionNode]
    ) -> ExpressionError {
        typeError(function, argument, expected: expected, got: value, node: arguments[argument - 1])
    }

    private func typeError(
        _ function: ExpressionFunction, _ argument: Int, expected: String, got value: JSON, node: ExpressionNode
    ) -> ExpressionError {
        let ordinals = ["first", "second", "third"]
        let position = argument <= ordinals.count ? "its \(ordinals[argument - 1]) argument" : "argument \(argument)"
        let missing = value == .null ? " (a missing value is null; supply one with default(x, …))" : ""
        return error(
            "\(function.rawValue) expects \(expected) as \(position), not "
                + "\(Self.article(value.typeName))\(missing); call it as \(function.signature)",
            at: node.start)
    }
}
