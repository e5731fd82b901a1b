import BatonCore
import Testing

/// Rate limits on a clock the test moves: no sleeping.
@Suite struct RateLimiterTests {
    typealias F = PolicyFixtures

    @Test func theLimiterAdmitsUpToTheLimitPerSlidingWindow() {
        let clock = ManualClock()
        let limiter = RateLimiter(now: { clock.now })
        #expect(limiter.admit("k", limit: 2, window: .seconds(10)) == .admitted)
        clock.advance(by: .seconds(4))
        #expect(limiter.admit("k", limit: 2, window: .seconds(10)) == .admitted)
        #expect(limiter.admit("k", limit: 2, window: .seconds(10)) == .refused(retryAfter: .seconds(6)))
        #expect(limiter.admit("other", limit: 2, window: .seconds(10)) == .admitted)
        clock.advance(by: .seconds(6))
        #expect(limiter.admit("k", limit: 2, window: .seconds(10)) == .admitted)
        #expect(limiter.admit("k", limit: 2, window: .seconds(10)) == .refused(retryAfter: .seconds(4)))
    }

    @Test func aRateLimitRuleDeniesPastItsLimitAndSaysWhenToRetry() throws {
        let clock = ManualClock()
        let engine = try F.engine(
            try F.rule("refunds", .rateLimit(RateLimit(limit: 3, window: .seconds(3600))), action: F.tools("refund")),
            limiter: RateLimiter(now: { clock.now })
        )
        for _ in 0..<3 {
            #expect(engine.decide(F.bot, F.tool("refund")).verdict == .allow)
            clock.advance(by: .seconds(60))
        }
        let refused = engine.decide(F.bot, F.tool("refund"))
        #expect(refused.verdict == .deny)
        #expect(refused.retryAfter == .seconds(3420))
        #expect(refused.reason == "rule 'refunds' of policy 'test' limits tool actions to at most 3 per 1 h per agent, and the limit is reached: retry in 57 min")
        #expect(refused.json["retry_after_ms"] == 3_420_000)
        #expect(engine.decide(PolicySubject(agent: "other_bot"), F.tool("refund")).verdict == .allow)
        clock.advance(by: .seconds(3420))
        #expect(engine.decide(F.bot, F.tool("refund")).verdict == .allow)
    }

    @Test func keysCombineTheNamedFields() throws {
        let clock = ManualClock()
        let limiter = RateLimiter(now: { clock.now })
        let perTool = try F.engine(
            try F.rule("each-tool", .rateLimit(RateLimit(limit: 1, window: .seconds(1), per: [.workflow, .action]))), limiter: limiter
        )
        #expect(perTool.decide(F.bot, F.tool("a")).verdict == .allow)
        #expect(perTool.decide(F.bot, F.tool("b")).verdict == .allow)
        #expect(perTool.decide(PolicySubject(agent: "x", workflow: "refunds"), F.tool("a")).verdict == .deny)
        #expect(perTool.decide(PolicySubject(workflow: "other"), F.tool("a")).verdict == .allow)
        let global = try F.engine(try F.rule("all", .rateLimit(RateLimit(limit: 1, window: .milliseconds(500), per: []))), limiter: limiter)
        #expect(global.decide(F.bot, F.tool("a")).verdict == .allow)
        let refused = global.decide(PolicySubject(agent: "someone else"), F.tool("z"))
        #expect(refused.verdict == .deny && refused.reason.hasSuffix("at most 1 per 500 ms, and the limit is reached: retry in 500 ms"))
    }

    @Test func enginesSharingALimiterCountTogether() throws {
        let limiter = RateLimiter()
        let rule = try F.rule("once", .rateLimit(RateLimit(limit: 1, window: .seconds(3600))))
        let first = try F.engine(rule, limiter: limiter)
        let second = try F.engine(rule, limiter: limiter)
        #expect(first.decide(F.bot, F.tool("t")).verdict == .allow)
        #expect(second.decide(F.bot, F.tool("t")).verdict == .deny)
    }

    @Test func manyKeysAreForgottenOnceTheirWindowPassed() {
        let clock = ManualClock()
        let limiter = RateLimiter(now: { clock.now })
        for key in 0..<(RateLimiter.sweepThreshold + 10) { _ = limiter.admit("k\(key)", limit: 1, window: .seconds(1)) }
        clock.advance(by: .seconds(2))
        #expect(limiter.admit("k0", limit: 1, window: .seconds(1)) == .admitted)
        #expect(limiter.admit("fresh", limit: 1, window: .seconds(1)) == .admitted)
        #expect(limiter.admit("fresh", limit: 1, window: .seconds(1)) == .refused(retryAfter: .seconds(1)))
    }
}
