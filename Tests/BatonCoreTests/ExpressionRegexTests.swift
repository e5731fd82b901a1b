import BatonCore
import Testing

@Suite struct ExpressionRegexTests {
    @Test func nestedQuantifiersOnHostileInputAnswerAtOnce() throws {
        // Exponential for a backtracking engine; linear here.
        let expression = try BatonCore.Expression("matches(input.s, '^(a+)+$')")
        let hostile = String(repeating: "a", count: 5_000) + "!"
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try expression.evaluate(in: ["input": ["s": .string(hostile)]]) == false)
        #expect(try expression.evaluate(in: ["input": ["s": "aaaa"]]) == true)
        #expect(clock.now - started < .seconds(5))
    }

    @Test func patternsUseECMA262Syntax() throws {
        #expect(try BatonCore.Expression(#"matches('a1', '^\\w\\d$')"#).evaluate(in: [:]) == true)
        #expect(try BatonCore.Expression(#"matches('é', '^\\w$')"#).evaluate(in: [:]) == false)  // \w is ASCII, as in ECMA-262
        #expect(throws: ExpressionError.self) { try BatonCore.Expression(#"matches('aa', '(a)\\1')"#) }
        #expect(throws: ExpressionError.self) { try BatonCore.Expression("matches('a', '(')") }
    }

    @Test func aComputedPatternIsCompiledAtEvaluation() throws {
        let expression = try BatonCore.Expression("matches(state.name, state.rule)")
        #expect(try expression.evaluate(in: ["state": ["name": "order-42", "rule": "^order-[0-9]+$"]]) == true)
        #expect(throws: ExpressionError.self) { try expression.evaluate(in: ["state": ["name": "x", "rule": "[unclosed"]]) }
    }
}
