import BatonCore
import BatonTesting
import Testing


/// A random integer or boolean expression with a reference value computed in Swift.
private indirect enum Term {
    case number(Int)
    case arithmetic(String, Term, Term)
    case negate(Term)
    case comparison(String, Term, Term)
    case logical(String, Term, Term)
    case not(Term)

    static func integer(depth: Int, using random: inout SeededGenerator) -> Term {
        if depth == 0 || Int.random(in: 0..<3, using: &random) == 0 {
            return .number(Int.random(in: -20...20, using: &random))
        }
        if Int.random(in: 0..<6, using: &random) == 0 { return .negate(integer(depth: depth - 1, using: &random)) }
        let operation = ["+", "-", "*"].randomElement(using: &random) ?? "+"
        return .arithmetic(
            operation, integer(depth: depth - 1, using: &random), integer(depth: depth - 1, using: &random))
    }

    static func boolean(depth: Int, using random: inout SeededGenerator) -> Term {
        let choice = depth == 0 ? 0 : Int.random(in: 0..<4, using: &random)
        switch choice {
        case 0, 1:
            let operation = ["<", "<=", ">", ">=", "==", "!="].randomElement(using: &random) ?? "<"
            return .comparison(
                operation, integer(depth: 2, using: &random), integer(depth: 2, using: &random))
        case 2:
            return .not(boolean(depth: depth - 1, using: &random))
        default:
            let operation = ["&&", "||", "and", "or"].randomElement(using: &random) ?? "&&"
            return .logical(
                operation, boolean(depth: depth - 1, using: &random), boolean(depth: depth - 1, using: &random))
        }
    }

    /// Fully parenthesised source, so the reference needs no precedence rules.
    var source: String {
        switch self {
        case let .number(value): return value < 0 ? "(\(value))" : "\(value)"
        case let .arithmetic(operation, left, right): return "(\(left.source) \(operation) \(right.source))"
        case let .negate(operand): return "-\(operand.source)"
        case let .comparison(operation, left, right): return "(\(left.source) \(operation) \(right.source))"
        case let .logical(operation, left, right): return "(\(left.source) \(operation) \(right.source))"
        case let .not(operand): return "(not \(operand.source))"
        }
    }

    var value: JSON {
        switch self {
        case let .number(value): return .int(value)
        case let .arithmetic(operation, left, right):
            let (a, b) = (left.value.intValue ?? 0, right.value.intValue ?? 0)
            return .int(operation == "+" ? a + b : operation == "-" ? a - b : a * b)
        case let .negate(operand): return .int(-(operand.value.intValue ?? 0))
        case let .comparison(operation, left, right):
            let (a, b) = (left.value.intValue ?? 0, right.value.intValue ?? 0)
            switch operation {
            case "<": return .bool(a < b)
            case "<=": return .bool(a <= b)
            case ">": return .bool(a > b)
            case ">=": return .bool(a >= b)
            case "==": return .bool(a == b)
            default: return .bool(a != b)
            }
        case let .logical(operation, left, right):
            let (a, b) = (left.value.isTruthy, right.value.isTruthy)
            return .bool(operation == "&&" || operation == "and" ? a && b : a || b)
        case let .not(operand): return .bool(!operand.value.isTruthy)
        }
    }
}

private func randomString(using random: inout SeededGenerator) -> String {
    let alphabet: [String] = ["a", "Z", "0", " ", "'", "\"", "\\", "\n", "\t", "é", "😀", "\u{1}", "/", "e\u{301}"]
    let length = Int.random(in: 0...6, using: &random)
    return (0..<length).map { _ in alphabet.randomElement(using: &random) ?? "a" }.joined()
}

private func randomJSON(depth: Int, using random: inout SeededGenerator) -> JSON {
    switch Int.random(in: 0..<(depth == 0 ? 5 : 7), using: &random) {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &random))
    case 2: return .int(Int.random(in: Int.min...Int.max, using: &random) >> Int.random(in: 0...63, using: &random))
    case 3:
        let scale = ([1, 1e3, 1e9] as [Double]).randomElement(using: &random) ?? 1
        return .double(Double.random(in: -1e6...1e6, using: &random) / scale)
    case 4: return .string(randomString(using: &random))
    case 5:
        let count = Int.random(in: 0...4, using: &random)
        return .array((0..<count).map { _ in randomJSON(depth: depth - 1, using: &random) })
    default:
        let count = Int.random(in: 0...4, using: &random)
        var members: [String: JSON] = [:]
        for _ in 0..<count { members[randomString(using: &random)] = randomJSON(depth: depth - 1, using: &random) }
        return .object(members)
    }
}

/// An integer, a half-integer double or a short string.
private func randomComparable(using random: inout SeededGenerator) -> JSON {
    switch Int.random(in: 0..<3, using: &random) {
    case 0: return .int(Int.random(in: -3...3, using: &random))
    case 1: return .double(Double(Int.random(in: -6...6, using: &random)) / 2)
    default: return .string(randomString(using: &random))
    }
}

@Suite struct ExpressionPropertyTests {
    @Test func fullyParenthesisedExpressionsMatchAReferenceEvaluation() throws {
        var random = SeededGenerator(seed: 1)
        for _ in 0..<400 {
            let term = Term.boolean(depth: 3, using: &random)
            let result = try Expression(term.source).evaluate(in: .null)
            #expect(result == term.value, "\(term.source)")
        }
    }

    @Test func precedenceOfUnparenthesisedArithmeticMatchesTheUsualRules() throws {
        var random = SeededGenerator(seed: 2)
        for _ in 0..<400 {
            let count = Int.random(in: 1...8, using: &random)
            let values = (0..<count).map { _ in Int.random(in: 0...20, using: &random) }
            let operations = (1..<count).map { _ in ["+", "-", "*"].randomElement(using: &random) ?? "+" }
            var source = "\(values[0])"
            var total = 0
            var sign = 1
            var product = values[0]
            for (position, operation) in operations.enumerated() {
                source += " \(operation) \(values[position + 1])"
                if operation == "*" {
                    product *= values[position + 1]
                } else {
                    total += sign * product
                    sign = operation == "+" ? 1 : -1
                    product = values[position + 1]
                }
            }
            total += sign * product
            #expect(try Expression(source).evaluate(in: .null) == .int(total), "\(source)")
        }
    }

    @Test func jsonTextIsAnExpressionForItsValue() throws {
        var random = SeededGenerator(seed: 3)
        for _ in 0..<300 {
            let value = randomJSON(depth: 3, using: &random)
            #expect(try Expression(value.canonicalString).evaluate(in: .null) == value, "\(value)")
            #expect(try Expression(value.prettyString()).evaluate(in: .null) == value, "\(value)")
            if value.stringValue == nil {
                #expect(try Expression("string(x)").evaluate(in: ["x": value]) == .string(value.canonicalString))
            }
        }
    }

    @Test func orderingIsConsistent() throws {
        var random = SeededGenerator(seed: 4)
        let less = try Expression("a < b")
        let lessOrEqual = try Expression("a <= b")
        let greater = try Expression("a > b")
        let greaterOrEqual = try Expression("a >= b")
        let equal = try Expression("a == b")
        let minimum = try Expression("min(a, b)")
        for _ in 0..<500 {
            let context: JSON = ["a": randomComparable(using: &random), "b": randomComparable(using: &random)]
            guard context["a"]?.isNumber == context["b"]?.isNumber else {
                #expect(throws: ExpressionError.self) { try less.evaluate(in: context) }
                continue
            }
            let (lt, le, gt, ge, eq) = try (
                less.isTrue(in: context), lessOrEqual.isTrue(in: context), greater.isTrue(in: context),
                greaterOrEqual.isTrue(in: context), equal.isTrue(in: context))
            #expect([lt, eq, gt].filter { $0 }.count == 1, "\(context)")
            #expect(le == (lt || eq) && ge == (gt || eq), "\(context)")
            #expect(try minimum.evaluate(in: context) == (lt || eq ? context["a"] : context["b"]), "\(context)")
        }
    }

    @Test func stringFunctionsAgreeWithSwift() throws {
        var random = SeededGenerator(seed: 5)
        let length = try Expression("len(s)")
        let joined = try Expression("s + t")
        let substring = try Expression("t in s")
        let prefix = try Expression("startsWith(s, t)")
        for _ in 0..<300 {
            let s = randomString(using: &random)
            let t = Bool.random(using: &random) ? String(s.prefix(Int.random(in: 0...3, using: &random))) : randomString(using: &random)
            let context: JSON = ["s": .string(s), "t": .string(t)]
            #expect(try length.evaluate(in: context) == .int(s.count))
            #expect(try joined.evaluate(in: context) == .string(s + t))
            #expect(try prefix.isTrue(in: context) == s.hasPrefix(t))
            #expect(try substring.isTrue(in: context) == (t.isEmpty || s.firstRange(of: t) != nil))
        }
    }

    /// Random token soup must never crash the parser or the evaluator; every error points inside
    /// the source (or just past its end).
    @Test func randomInputNeverCrashes() {
        var random = SeededGenerator(seed: 6)
        let fragments = [
            "(", ")", "[", "]", "{", "}", "'", "\"", "\\", "state", "items", ".", "a", "1", "-1", "0", "2.5", "e",
            "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", "&&", "||", "!", "not", "in", "and", "?", ":", ",",
            "len(", "matches(", "default(", "min(", "sum(", "int(", " ", "null", "true", "#", "é", "=", "'x'",
            "[-1]", "9223372036854775807", "1e308", "'('",
        ]
        for _ in 0..<4_000 {
            let count = Int.random(in: 0...24, using: &random)
            let source = (0..<count).map { _ in fragments.randomElement(using: &random) ?? " " }.joined()
            do {
                let expression = try Expression(source)
                do {
                    _ = try expression.evaluate(in: expressionContext)
                } catch {
                    #expect(error.column >= 1 && error.column <= source.count + 1, "\(error)")
                }
            } catch {
                #expect(error.column >= 1 && error.column <= source.count + 1, "\(error)")
                #expect(!error.reason.isEmpty)
            }
        }
    }
}
