/// The infix and prefix operators. Integer arithmetic stays integer unless it overflows or a
/// division is inexact; then it is done in `Double`. Results that are not finite are errors, so
/// every value an expression produces is valid JSON.
extension ExpressionEvaluator {
    func apply(
        _ operation: ExpressionBinaryOperator, _ left: JSON, _ right: JSON, at offset: Int
    ) throws(ExpressionError) -> JSON {
        switch operation {
        case .equal: return .bool(left == right)
        case .notEqual: return .bool(left != right)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return .bool(try compare(operation, left, right, at: offset))
        case .in, .notIn:
            let spelling = "'\(operation.symbol)' (needle \(operation.symbol) haystack)"
            let found = try contains(left, in: right, spelling: spelling, at: offset)
            return .bool(operation == .in ? found : !found)
        case .add:
            switch (left, right) {
            case let (.string(a), .string(b)): return .string(a + b)
            case let (.array(a), .array(b)): return .array(a + b)
            default: return try arithmetic(operation, left, right, at: offset)
            }
        case .subtract, .multiply, .divide, .remainder:
            return try arithmetic(operation, left, right, at: offset)
        }
    }

    func negate(_ value: JSON, at offset: Int) throws(ExpressionError) -> JSON {
        switch value {
        case let .int(number): return number == Int.min ? .double(-Double(number)) : .int(-number)
        case let .double(number): return .double(-number)
        default:
            throw error("cannot negate \(Self.article(value.typeName)); '-' needs a number", at: offset)
        }
    }

    // MARK: - Comparison

    /// Orders two numbers or two strings (strings by Unicode, character by character).
    private func compare(
        _ operation: ExpressionBinaryOperator, _ left: JSON, _ right: JSON, at offset: Int
    ) throws(ExpressionError) -> Bool {
        if let less = Self.isLess(left, right), let greater = Self.isLess(right, left) {
            switch operation {
            case .less: return less
            case .lessOrEqual: return !greater
            case .greater: return greater
            default: return !less
            }
        }
        let hint: String
        if left == .null || right == .null {
            hint = "a missing value is null; supply one with default(x, 0) or test exists(x) first"
        } else if left.typeName == right.typeName {
            hint = "only numbers and strings can be ordered"
        } else {
            hint = "convert one side with number(…) or string(…)"
        }
        throw error(
            "cannot compare \(Self.article(left.typeName)) with \(Self.article(right.typeName)) "
                + "using '\(operation.symbol)'; \(hint)", at: offset)
    }

    /// Whether `a` sorts before `b`, for two numbers or two strings; `nil` for any other pair.
    static func isLess(_ a: JSON, _ b: JSON) -> Bool? {
        switch (a, b) {
        case let (.int(a), .int(b)): return a < b
        case let (.string(a), .string(b)): return a < b
        default:
            guard let a = a.doubleValue, let b = b.doubleValue else { return nil }
            return a < b
        }
    }

    // MARK: - Membership

    /// `needle in haystack`: an element of an array (deep equality), a substring of a string, or a
    /// key of an object. Nothing is in `null`.
    /// `spelling` names the operator or function in messages.
    func contains(
        _ needle: JSON, in haystack: JSON, spelling: String, at offset: Int
    ) throws(ExpressionError) -> Bool {
        switch haystack {
        case .null:
            return false
        case let .array(elements):
            return elements.contains(needle)
        case let .string(text):
            guard case let .string(part) = needle else {
                throw error(
                    "\(spelling) looks for a substring when the haystack is a string, so the needle must be "
                        + "a string, not \(Self.article(needle.typeName)); convert it with string(…)",
                    at: offset)
            }
            return part.isEmpty || text.firstRange(of: part) != nil
        case let .object(members):
            guard case let .string(key) = needle else {
                throw error(
                    "\(spelling) looks for a key when the haystack is an object, so the needle must be "
                        + "a string, not \(Self.article(needle.typeName))", at: offset)
            }
            return members[key] != nil
        default:
            throw error(
                "\(spelling) needs an array, a string or an object as the haystack, "
                    + "not \(Self.article(haystack.typeName))", at: offset)
        }
    }

    // MARK: - Arithmetic

    private func arithmetic(
        _ operation: ExpressionBinaryOperator, _ left: JSON, _ right: JSON, at offset: Int
    ) throws(ExpressionError) -> JSON {
        if case let .int(a) = left, case let .int(b) = right {
            if let exact = try integerArithmetic(operation, a, b, at: offset) { return .int(exact) }
        }
        guard let a = left.doubleValue, let b = right.doubleValue else {
            throw arithmeticTypeError(operation, left, right, at: offset)
        }
        let result: Double
        switch operation {
        case .add: result = a + b
        case .subtract: result = a - b
        case .multiply: result = a * b
        case .divide:
            guard b != 0 else { throw divisionByZero(operation, at: offset) }
            result = a / b
        default:
            guard b != 0 else { throw divisionByZero(operation, at: offset) }
            result = a.truncatingRemainder(dividingBy: b)
        }
        guard result.isFinite else {
            throw error(
                "the result of '\(operation.symbol)' is too large to represent; scale the operands down",
                at: offset)
        }
        return .double(result)
    }

    /// The exact integer result, or `nil` when it overflows or (for `/`) is not a whole number.
    private func integerArithmetic(
        _ operation: ExpressionBinaryOperator, _ a: Int, _ b: Int, at offset: Int
    ) throws(ExpressionError) -> Int? {
        let (value, overflow): (Int, Bool)
        switch operation {
        case .add: (value, overflow) = a.addingReportingOverflow(b)
        case .subtract: (value, overflow) = a.subtractingReportingOverflow(b)
        case .multiply: (value, overflow) = a.multipliedReportingOverflow(by: b)
        case .divide:
            guard b != 0 else { throw divisionByZero(operation, at: offset) }
            let remainder = a.remainderReportingOverflow(dividingBy: b)
            guard remainder.overflow || remainder.partialValue == 0 else { return nil }
            (value, overflow) = a.dividedReportingOverflow(by: b)
        default:
            guard b != 0 else { throw divisionByZero(operation, at: offset) }
            // Only Int.min % -1 overflows, and its remainder is 0.
            let remainder = a.remainderReportingOverflow(dividingBy: b)
            (value, overflow) = (remainder.overflow ? 0 : remainder.partialValue, false)
        }
        return overflow ? nil : value
    }

    private func divisionByZero(_ operation: ExpressionBinaryOperator, at offset: Int) -> ExpressionError {
        error(
            "\(operation == .divide ? "division" : "remainder") by zero; guard the divisor, "
                + "as in `b != 0 ? a \(operation.symbol) b : 0`", at: offset)
    }

    private func arithmeticTypeError(
        _ operation: ExpressionBinaryOperator, _ left: JSON, _ right: JSON, at offset: Int
    ) -> ExpressionError {
        let operands = "\(Self.article(left.typeName)) and \(Self.article(right.typeName))"
        let hint: String
        if left == .null || right == .null {
            hint = "a missing value is null; supply one with default(x, 0)"
        } else if operation == .add {
            hint = "'+' adds numbers, joins two strings or joins two arrays; convert with string(…) or number(…)"
        } else {
            hint = "'\(operation.symbol)' needs two numbers; convert text with number(…)"
        }
        return error("cannot apply '\(operation.symbol)' to \(operands); \(hint)", at: offset)
    }
}
