import BatonCore
import Testing

/// The error parsing `source` throws, or `nil` when it parses.
private func parseError(_ source: String) -> ExpressionError? {
    do {
        _ = try Expression(source)
        return nil
    } catch {
        return error
    }
}

/// The error evaluating `source` against ``expressionContext`` throws; `nil` when it evaluates (a
/// parse error fails the test).
private func evaluationError(_ source: String) -> ExpressionError? {
    let expression: Expression
    do {
        expression = try Expression(source)
    } catch {
        Issue.record("`\(source)` should parse, but: \(error)")
        return nil
    }
    do {
        _ = try expression.evaluate(in: expressionContext)
        return nil
    } catch {
        return error
    }
}

@Suite struct ExpressionErrorTests {
    @Test func descriptionQuotesTheSourceAndColumn() throws {
        let error = try #require(parseError("state.count >> 2"))
        #expect(error.source == "state.count >> 2")
        #expect(error.column == 14)
        #expect(error.reason.hasPrefix("unexpected '>', expected an operand"))
        #expect(
            error.description
                == "in expression `state.count >> 2` at column 14: unexpected '>', expected an operand "
                + "(a value, a name, a call or a parenthesis)")
    }

    @Test func descriptionShowsAWindowOfALongSource() throws {
        let source = String(repeating: "a + ", count: 50) + "#"
        let error = try #require(parseError(source))
        #expect(error.column == 201)
        #expect(error.description.hasPrefix("in expression `… + a + a"))
        #expect(error.description.contains("#` at column 201"))
        #expect(error.description.count < 300)
    }

    @Test(arguments: [
        ("", 1, "the expression is empty"),
        ("   \n ", 1, "the expression is empty"),
        ("'abc", 1, "unterminated string; close it with '"),
        ("state.x == \"abc", 12, "unterminated string; close it with \""),
        ("foo(1)", 1, "unknown function 'foo'; the functions are abs, all, any, contains, default,"),
        ("1 + Len(x)", 5, "unknown function 'Len'"),
        ("len(1, 2)", 1, "len takes 1 argument, got 2; call it as len(x)"),
        ("startsWith('a')", 1, "startsWith takes 2 arguments, got 1"),
        ("min()", 1, "min takes at least 1 argument, got 0"),
        ("1 2", 3, "unexpected number 2 after a complete expression"),
        ("state.count == 1 )", 18, "unexpected ')' after a complete expression"),
        ("a b", 3, "unexpected identifier 'b' after a complete expression"),
        ("(1 + 2", 7, "unexpected end of expression, expected ')' to close the parenthesis opened at column 1"),
        ("[1, 2", 6, "unexpected end of expression in the array"),
        ("len(1", 6, "in the arguments of len"),
        ("{a 1}", 4, "expected ':' after the key 'a'"),
        ("{1: 2}", 2, "expected a key"),
        ("{a: 1, a: 2}", 8, "the key 'a' appears twice"),
        ("a = 1", 3, "'=' is not an operator"),
        ("a & b", 3, "write '&&' or 'and'"),
        ("a | b", 3, "write '||' or 'or'"),
        ("1 < 2 < 3", 7, "'<' cannot follow another comparison"),
        ("a == b != c", 8, "'!=' cannot follow another comparison"),
        ("a in b in c", 8, "'in' cannot follow another comparison"),
        ("state.", 7, "expected a member name after '.'"),
        ("state.0", 7, "expected a member name after '.', found number 0"),
        ("#", 1, "unexpected character '#'"),
        ("a @ b", 3, "unexpected character '@'"),
        (#"'\q'"#, 2, "unknown escape '\\q'"),
        (#"'\u12'"#, 2, "invalid \\u escape"),
        (#"'\u{}'"#, 2, "invalid \\u{…} escape"),
        (#"'\uD800x'"#, 2, "high surrogate"),
        (#"'\"#, 2, "a backslash ends the expression"),
        ("matches('a', '(')", 14, "invalid regular expression '('"),
        ("a == not b", 6, "'not' cannot be an operand here"),
        ("1 + not b", 5, "'not' cannot be an operand here"),
        ("!not b", 2, "'not' cannot be an operand here"),
        ("1 +", 4, "unexpected end of expression, expected an operand"),
        ("and", 1, "unexpected 'and', expected an operand"),
        ("a not b", 3, "unexpected 'not' after a complete expression"),
        ("true ? 1", 9, "expected ':' to complete the conditional"),
        ("1e999", 1, "the number 1e999 is too large"),
        ("'e\u{301}' == #", 8, "unexpected character '#'"),
        ("'😀' + #", 7, "unexpected character '#'"),
        ("a.b(1)", 4, "unexpected '(' after a complete expression"),
        ("x[]", 3, "unexpected ']', expected an operand"),
    ] as [(String, Int, String)])
    func parseErrors(_ source: String, _ column: Int, _ reason: String) throws {
        let error = try #require(parseError(source), "`\(source)` should not parse")
        #expect(error.column == column, "\(error)")
        #expect(error.reason.contains(reason), "\(error)")
        #expect(error.source == source)
    }

    @Test(arguments: [
        ("'a' < 1", 5, "cannot compare a string with an integer using '<'; convert one side with number(…) or string(…)"),
        ("state.missing > 3", 15, "cannot compare null with an integer using '>'; a missing value is null"),
        ("true < false", 6, "cannot compare a boolean with a boolean using '<'; only numbers and strings can be ordered"),
        ("[1] <= [2]", 5, "only numbers and strings can be ordered"),
        ("1 / 0", 3, "division by zero"),
        ("1.5 / 0", 5, "division by zero"),
        ("1 % 0", 3, "remainder by zero"),
        ("state.count % 0.0", 13, "remainder by zero"),
        ("'a' - 1", 5, "cannot apply '-' to a string and an integer"),
        ("'a' + 1", 5, "cannot apply '+' to a string and an integer; '+' adds numbers, joins two strings"),
        ("[1] + 'a'", 5, "cannot apply '+' to an array and a string"),
        ("state.nope * 2", 12, "cannot apply '*' to null and an integer; a missing value is null"),
        ("-'a'", 1, "cannot negate a string"),
        ("1 in 5", 3, "'in' (needle in haystack) needs an array, a string or an object as the haystack"),
        ("1 in 'abc'", 3, "the needle must be a string, not an integer"),
        ("1 not in {a: 1}", 3, "looks for a key when the haystack is an object"),
        ("len(5)", 5, "len expects a string, an array or an object as its first argument, not an integer"),
        ("lower(state.missing)", 7, "a missing value is null; supply one with default(x, …)"),
        ("upper(1)", 7, "upper expects a string"),
        ("startsWith('a', 1)", 17, "startsWith expects a string as its second argument"),
        ("endsWith(1, 'a')", 10, "endsWith expects a string as its first argument"),
        ("contains(1, 1)", 1, "contains(haystack, needle) needs an array, a string or an object"),
        ("matches(1, 'a')", 9, "matches expects a string as its first argument"),
        ("matches('a', '(' + '')", 14, "invalid regular expression '('"),
        ("number('abc')", 8, "number cannot read 'abc' as a number"),
        ("number('1e999')", 8, "cannot read '1e999' as a number"),
        ("number([1])", 8, "number expects a number, a string or a boolean"),
        ("int('x')", 5, "int cannot read 'x' as a number"),
        ("int(1e300)", 5, "int cannot represent"),
        ("abs('1')", 5, "abs expects a number"),
        ("sum([1, 'a'])", 5, "sum needs an array of numbers, but element 1 is a string"),
        ("sum(3)", 5, "sum expects an array"),
        ("min(1, 'a')", 8, "min needs numbers or strings of one kind, not an integer and a string"),
        ("max([true])", 5, "max expects numbers or strings"),
        ("max(7)", 5, "max expects an array (or several values)"),
        ("any(1)", 5, "any expects an array"),
        ("all('ab')", 5, "all expects an array"),
        ("keys([1])", 6, "keys expects an object"),
        ("state.items[true]", 13, "cannot index with a boolean"),
        ("state.items[1.5]", 13, "the index 1.5 is not a whole number"),
        ("1e308 * 10", 7, "the result of '*' is too large to represent"),
        ("sum([1e308, 1e308])", 5, "the sum is too large"),
        ("true ? 1 / 0 : 1", 10, "division by zero"),
    ] as [(String, Int, String)])
    func evaluationErrors(_ source: String, _ column: Int, _ reason: String) throws {
        let error = try #require(evaluationError(source), "`\(source)` should fail to evaluate")
        #expect(error.column == column, "\(error)")
        #expect(error.reason.contains(reason), "\(error)")
    }

    @Test func sourcesLongerThanTheLimitAreRejected() throws {
        let longest = String(repeating: " ", count: Expression.maximumLength - 1) + "1"
        #expect(try Expression(longest).evaluate(in: .null) == 1)
        let tooLong = String(repeating: " ", count: Expression.maximumLength) + "1"
        let error = try #require(parseError(tooLong))
        #expect(error.column == Expression.maximumLength + 1)
        #expect(error.reason.contains("more than the limit of 10000"))
    }

    @Test func nestingWithinTheLimitWorks() throws {
        let depth = 100
        let parens = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(try Expression(parens).evaluate(in: .null) == 1)
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try Expression(arrays).evaluate(in: .null) != .null)
        let path = "a" + String(repeating: ".b", count: depth)
        #expect(try Expression(path).evaluate(in: .null) == .null)
        let nots = String(repeating: "!", count: depth) + "true"
        #expect(try Expression(nots).evaluate(in: .null) == true)
        // `||` and `&&` chains are flat, so long ones are fine.
        let chain = Array(repeating: "x == 1", count: 1_000).joined(separator: " || ")
        #expect(try Expression(chain).isTrue(in: ["x": 1]))
    }

    @Test(arguments: [
        String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200),
        String(repeating: "(", count: 9_000),
        String(repeating: "[", count: 9_000),
        String(repeating: "{a:", count: 3_000),
        String(repeating: "!", count: 9_000) + "x",
        String(repeating: "-", count: 9_000) + "1",
        String(repeating: "not ", count: 2_000) + "x",
        "a" + String(repeating: ".b", count: 3_000),
        "a" + String(repeating: "[0]", count: 3_000),
        "1" + String(repeating: " + 1", count: 2_000),
        String(repeating: "len(", count: 1_500) + "x" + String(repeating: ")", count: 1_500),
        String(repeating: "x ? ", count: 1_000) + "1" + String(repeating: " : 2", count: 1_000),
        String(repeating: "1 == (", count: 1_500),
    ])
    func deepNestingIsRejectedCleanly(_ source: String) throws {
        let error = try #require(parseError(source))
        #expect(error.reason.contains("nests deeper than \(Expression.maximumDepth) levels"), "\(error.reason)")
        #expect(error.column >= 1 && error.column <= source.count + 1)
    }
}
