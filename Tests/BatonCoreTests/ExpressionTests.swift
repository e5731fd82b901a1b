import BatonCore
import Testing

/// The context most expression tests evaluate against.
let expressionContext: JSON = [
    "state": [
        "count": 3, "name": "Ada", "tags": ["a", "b"], "items": [10, 20, 30], "score": 0.85,
        "nested": ["x": ["y": 1]], "empty": "", "flag": true, "none": nil,
    ],
    "output": ["score": 0.9, "text": "Hello World", "passed": 4, "total": 5],
    "input": ["query": "what is 2+2?"],
    "item": "apple",
    "index": 2,
    "args": ["path": "/tmp/x.txt", "mode": "read"],
]

/// Parses and evaluates `source` against ``expressionContext``.
private func evaluate(_ source: String) throws -> JSON {
    try Expression(source).evaluate(in: expressionContext)
}

/// The JSON case of a value; `JSON ==` treats `.int(1)` and `.double(1)` as equal, this does not.
private func caseName(_ value: JSON) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "bool"
    case .int: return "int"
    case .double: return "double"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
}

@Suite struct ExpressionEvaluationTests {
    @Test(arguments: [
        ("null", nil), ("true", true), ("false", false), ("42", 42), ("4.5", 4.5), ("1e3", 1000.0),
        ("2.5E-1", 0.25), ("'hi'", "hi"), ("\"hi\"", "hi"), (#"'it\'s'"#, "it's"), (#""say \"hi\"""#, "say \"hi\""),
        (#"'a\nb\tc'"#, "a\nb\tc"), (#"'back\\slash'"#, "back\\slash"), (#"'\u00e9'"#, "é"),
        (#"'\u{1F600}'"#, "😀"), (#"'\uD83D\uDE00'"#, "😀"), ("'multi\nline'", "multi\nline"),
        ("[1, 'a', null]", [1, "a", nil]), ("[]", []), ("[1, 2,]", [1, 2]), ("{a: 1, 'b c': 2}", ["a": 1, "b c": 2]),
        ("{}", [:]), ("{in: 1, null: 2}", ["in": 1, "null": 2]), ("{a: state.count, b: [item]}", ["a": 3, "b": ["apple"]]),
        ("[state.count, -1]", [3, -1]), ("-1", -1), ("-2.5", -2.5),
    ] as [(String, JSON)])
    func literals(_ source: String, _ expected: JSON) throws {
        #expect(try evaluate(source) == expected)
    }

    @Test(arguments: [
        ("state.count", 3), ("state['count']", 3), ("state[\"name\"]", "Ada"), ("state.nested.x.y", 1),
        ("state.items[0]", 10), ("state.items[-1]", 30), ("state.items[-3]", 10), ("state.items[3]", nil),
        ("state.items[-4]", nil), ("state.items[index]", 30), ("state.items[1.0]", 20), ("state.items[null]", nil),
        ("state.tags[state.count - 2]", "b"), ("state.name[0]", "A"), ("state.name[-1]", "a"), ("state.name[9]", nil),
        ("state.a", nil), ("state.a.b", nil), ("state.a.b == null", true), ("missing", nil), ("missing.x[0].y", nil),
        ("state.count.x", nil), ("state.items.x", nil), ("state.items['0']", nil), ("state[0]", nil),
        ("state.none", nil), ("state.none.x", nil), ("{a: 1}.a", 1), ("[1, 2, 3][1]", 2), ("{in: 5}.in", 5),
        ("args.mode", "read"), ("state['na' + 'me']", "Ada"), ("(state).count", 3),
    ] as [(String, JSON)])
    func paths(_ source: String, _ expected: JSON) throws {
        #expect(try evaluate(source) == expected)
    }

    @Test(arguments: [
        ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("10 - 4 - 3", 3), ("2 * 3 % 4", 2), ("24 / 4 / 2", 3), ("-2 * 3", -6),
        ("- -2", 2), ("-state.count", -3), ("-(1 + 2)", -3), ("7 / 2", 3.5), ("6 / 3", 2), ("7 % 3", 1),
        ("-7 % 3", -1), ("7.5 % 2", 1.5), ("1 + 2.5", 3.5), ("0.5 * 4", 2), ("'a' + 'b'", "ab"),
        ("[1] + [2, 3]", [1, 2, 3]), ("output.passed / output.total", 0.8), ("1 + 2 == 3", true),
        ("2 + 3 * 4 - 1", 13), ("2 * (3 + 4) % 5", 4),
    ] as [(String, JSON)])
    func arithmetic(_ source: String, _ expected: JSON) throws {
        #expect(try evaluate(source) == expected)
    }

    @Test(arguments: [
        ("1 < 2", true), ("2 < 1", false), ("2 <= 2", true), ("3 > 2.5", true), ("2 >= 3", false),
        ("2.0 >= 2", true), ("'abc' < 'abd'", true), ("'B' < 'a'", true), ("'apple' >= 'apple'", true),
        ("'b' > 'abc'", true), ("output.score >= 0.8", true), ("state.score > output.score", false),
        ("1 == 1.0", true), ("[1, {a: 2}] == [1, {a: 2.0}]", true), ("'a' != 'b'", true), ("null == null", true),
        ("state.missing == null", true), ("1 == '1'", false), ("{a: 1, b: 2} == {b: 2, a: 1}", true),
        ("state.tags == ['a', 'b']", true), ("true == 1", false), ("[] != {}", true),
        ("1 < 2 == 2 < 3", true), ("1 + 1 > 1 == true", true),
    ] as [(String, JSON)])
    func comparisons(_ source: String, _ expected: JSON) throws {
        #expect(try evaluate(source) == expected)
    }

    @Test(arguments: [
        ("true && false", false), ("true || false", true), ("1 && 'x'", true), ("0 || ''", false),
        ("!true", false), ("!0", true), ("!!'x'", true), ("not false", true), ("not 1 == 2", true),
        ("!1 == 2", false), ("true and false", false), ("false or true", true), ("not state.flag", false),
        ("true || false && false", true), ("(true || false) && false", false), ("false && 1 / 0 == 1", false),
        ("true || 1 / 0", true), ("state.flag and state.count > 2", true), ("not not true", true),
        ("not 'a' in state.tags", false), ("'c' not in state.tags", true), ("not true or true", true),
        ("false || false || 'x'", true), ("true && true && 0", false), ("1 and 2 or 0", true),
    ] as [(String, JSON)])
    func logic(_ source: String, _ expected: JSON) throws {
        #expect(try evaluate(source) == expected)
    }

    @Test(arguments: [
        ("'a' in state.tags", true), ("'z' in state.tags", false), ("'World' in output.text", true),
        ("'world' in output.text", false), ("'count' in state", true), ("'nope' in state", false),
        ("1 in [1.0, 2]", true), ("[1] in [[1], 2]", true), ("'' in 'abc'", true), ("'x' in state.missing", false),
        ("'x' not in state.missing", true), ("item in ['apple', 'pear']", true), ("1 + 1 in [2]", true),
        ("'none' in state", true),
    ] as [(String, JSON)])
    func membership(_ source: String, _ expected: JSON) throws {
        #expect(try evaluate(source) == expected)
    }

    @Test(arguments: [
        ("state.count > 2 ? 'big' : 'small'", "big"), ("false ? 1 : true ? 2 : 3", 2),
        ("state.missing ? 1 : 2", 2), ("true ? false ? 1 : 2 : 3", 2), ("1 + 1 == 2 ? 'y' : 'n'", "y"),
        ("(true ? 1 : 2) + 1", 2), ("true ? 1 : 1 / 0", 1), ("false || true ? 'a' : 'b'", "a"),
    ] as [(String, JSON)])
    func conditional(_ source: String, _ expected: JSON) throws {
        #expect(try evaluate(source) == expected)
    }

    @Test(arguments: [
        ("len('héllo')", 5), ("len('👨‍👩‍👧')", 1), ("len([1, 2])", 2), ("len({a: 1})", 1), ("len('')", 0),
        ("len(state.tags)", 2), ("lower('AbC')", "abc"), ("upper('abc')", "ABC"), ("upper('straße')", "STRASSE"),
        ("contains('hello', 'ell')", true), ("contains([1, 2], 2)", true), ("contains({a: 1}, 'a')", true),
        ("contains(state.missing, 'a')", false), ("startsWith('hello', 'he')", true), ("startsWith('hello', 'lo')", false),
        ("endsWith('hello', 'lo')", true), ("endsWith(args.path, '.txt')", true),
        (#"matches('abc123', '^[a-z]+\\d+$')"#, true), (#"matches('abc', '\\d')"#, false),
        ("matches(args.path, '^/tmp/')", true), ("matches('a1', '[0-9]' + '')", true), ("matches('ab', 'B')", false),
        ("matches('é', '^.$')", true),
        ("exists(state.count)", true), ("exists(state.nope)", false), ("exists(state.none)", false),
        ("exists(state.empty)", true), ("default(state.nope, 5)", 5), ("default(state.count, 5)", 3),
        ("default(state.flag, 1 / 0)", true), ("default(state.none, 'x')", "x"), ("default(false, 1)", false),
        ("number('42')", 42), ("number(' 2.5 ')", 2.5), ("number('-1e2')", -100), ("number(true)", 1),
        ("number(7)", 7), ("string(42)", "42"), ("string(2.5)", "2.5"), ("string(true)", "true"),
        ("string(null)", "null"), ("string([1, 'a'])", "[1,\"a\"]"), ("string('x')", "x"), ("int(3.9)", 3),
        ("int(-3.9)", -3), ("int('12')", 12), ("int('12.7')", 12), ("int(false)", 0), ("abs(-3)", 3),
        ("abs(-2.5)", 2.5), ("abs(4)", 4), ("min(3, 1, 2)", 1), ("max(3, 1, 2)", 3), ("min([4, 2.5])", 2.5),
        ("max(['b', 'a'])", "b"), ("min('b', 'a', 'c')", "a"), ("min([])", nil),
        ("max([7])", 7), ("sum([1, 2, 3])", 6), ("sum([1, 2.5])", 3.5), ("sum([])", 0),
        ("sum(state.items)", 60), ("any([0, '', 1])", true), ("any([])", false), ("all([1, 'x'])", true),
        ("all([])", true), ("all([1, 0])", false), ("keys({b: 1, a: 2})", ["a", "b"]),
        ("keys(state)", ["count", "empty", "flag", "items", "name", "nested", "none", "score", "tags"]),
        ("len(keys(args))", 2), ("lower(upper(item))", "apple"),
    ] as [(String, JSON)])
    func functions(_ source: String, _ expected: JSON) throws {
        #expect(try evaluate(source) == expected)
    }

    @Test(arguments: [
        ("1 + 2", "int"), ("6 / 3", "int"), ("7 / 2", "double"), ("2 * 3", "int"), ("7 % 2", "int"),
        ("1 + 2.0", "double"), ("2.0 * 3", "double"), ("-3", "int"), ("abs(-3)", "int"), ("sum([1, 2])", "int"),
        ("sum([1, 2.0])", "double"), ("int(2.0)", "int"), ("number('3')", "int"), ("number('3.0')", "double"),
        ("len('abc')", "int"), ("min(1, 2.0)", "int"), ("9223372036854775807 + 1", "double"),
        ("-9223372036854775807 - 2", "double"), ("9223372036854775807 * 2", "double"),
        ("abs(-9223372036854775807 - 1)", "double"), ("-(-9223372036854775807 - 1)", "double"),
        ("(-9223372036854775807 - 1) / -1", "double"), ("(-9223372036854775807 - 1) % -1", "int"),
        ("sum([9223372036854775807, 1])", "double"), ("9223372036854775807", "int"),
        ("99999999999999999999", "double"),
    ])
    func integerArithmeticStaysInteger(_ source: String, _ expectedCase: String) throws {
        #expect(caseName(try evaluate(source)) == expectedCase)
    }

    @Test func overflowFallsBackToDouble() throws {
        #expect(try evaluate("9223372036854775807 + 1") == .double(9_223_372_036_854_775_808.0))
        #expect(try evaluate("(-9223372036854775807 - 1) % -1") == .int(0))
        #expect(try evaluate("sum([9223372036854775807, 1, -1])") == .double(9_223_372_036_854_775_807.0))
    }

    @Test func isTrueUsesTruthiness() throws {
        #expect(try Expression("state.count").isTrue(in: expressionContext))
        #expect(try !Expression("state.empty").isTrue(in: expressionContext))
        #expect(try !Expression("state.none").isTrue(in: expressionContext))
        #expect(try !Expression("state.missing.deeper").isTrue(in: expressionContext))
        #expect(try !Expression("[]").isTrue(in: expressionContext))
        #expect(try Expression("output.score >= 0.8").isTrue(in: expressionContext))
    }

    @Test func aContextThatIsNotAnObjectHasNoNames() throws {
        #expect(try Expression("x").evaluate(in: 5) == .null)
        #expect(try Expression("x.y == null").isTrue(in: .null))
        #expect(try Expression("1 + 1").evaluate(in: ["a", "b"]) == 2)
    }

    @Test func whitespaceAndLineBreaksAreIgnored() throws {
        #expect(try evaluate("  state.count\n  >= 3\n  && item == 'apple'  ") == true)
        #expect(try evaluate("state . count") == 3)
    }

    @Test(arguments: [
        ("state.a > 1 && output.score >= 0.8", ["state", "output"]),
        ("len(input.query) + index", ["input", "index"]),
        ("{a: 1}.a + x['y']", ["x"]),
        ("true && null || 1 + 2", []),
        ("default(args.mode, 'r') in ['r', 'w']", ["args"]),
        ("item ? state[item] : output", ["item", "state", "output"]),
        ("matches(a, 'x') && exists(b.c[d])", ["a", "b", "d"]),
    ] as [(String, Set<String>)])
    func referencedRoots(_ source: String, _ expected: Set<String>) throws {
        #expect(try Expression(source).referencedRoots == expected)
    }

    @Test func equalityAndHashingFollowTheSource() throws {
        let a = try Expression("state.count > 1")
        let b = try Expression("state.count > 1")
        let c = try Expression("state.count>1")
        #expect(a == b)
        #expect(a != c)
        #expect(Set([a, b, c]).count == 2)
        #expect(a.description == "state.count > 1")
        #expect(a.source == "state.count > 1")
    }

    @Test func oneParsedExpressionEvaluatesConcurrently() async throws {
        let expression = try Expression("sum(state.items) / len(state.items) + index")
        let results = await withTaskGroup(of: JSON?.self) { group in
            for position in 0..<64 {
                group.addTask {
                    try? expression.evaluate(in: ["state": ["items": [1, 2, 3]], "index": .int(position)])
                }
            }
            var collected: [JSON?] = []
            for await result in group { collected.append(result) }
            return collected
        }
        #expect(Set(results.compactMap { $0?.intValue }) == Set((0..<64).map { $0 + 2 }))
    }
}
