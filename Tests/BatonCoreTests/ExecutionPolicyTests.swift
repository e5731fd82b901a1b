import BatonCore
import Synchronization
import Testing

/// Counts calls from inside `@Sendable` node closures.
final class Counter: Sendable {
    private let value = Mutex(0)
    @discardableResult func next() -> Int { value.withLock { $0 += 1; return $0 } }
    var count: Int { value.withLock { $0 } }
}

@Suite struct ExecutionPolicyTests {
    let fastRetry = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5))

    @Test func retriesUntilSuccessAndRecordsEachAttempt() async throws {
        let calls = Counter()
        var flow = WorkflowBuilder("retry")
        flow.function("flaky", policy: ExecutionPolicy(retry: fastRetry)) { _ in
            if calls.next() < 3 { throw NodeError(code: "unavailable", message: "try later") }
            return ["done": true]
        }
        let engine = Engine(store: InMemoryStore())
        let result = try await engine.run(try flow.build())
        #expect(result.status == .succeeded)
        #expect(calls.count == 3)
        let events = try await engine.store.events(run: result.id, after: 0, limit: 100)
        let failures = events.filter { $0.type == .stepAttemptFailed }
        #expect(failures.map { $0.data["attempt"] } == [1, 2])
        #expect(failures.allSatisfy { $0.data["will_retry"] == true })
        #expect(events.first { $0.type == .stepSucceeded }?.data["attempt"] == 3)
    }

    @Test func nonRetryableErrorFailsTheRunAtOnce() async throws {
        let calls = Counter()
        var flow = WorkflowBuilder("fatal")
        flow.function("auth", policy: ExecutionPolicy(retry: fastRetry)) { _ in
            calls.next()
            throw NodeError(code: "auth", message: "bad key", retryable: false)
        }
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.status == .failed)
        #expect(calls.count == 1)
        #expect(result.reason?.contains("bad key") == true)
    }

    @Test func retryOnlyMatchingCodes() async throws {
        let calls = Counter()
        var flow = WorkflowBuilder("codes")
        flow.function("x", policy: ExecutionPolicy(retry: RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(1), retryOn: ["timeout"]))) { _ in
            calls.next()
            throw NodeError(code: "bad_request", message: "no")
        }
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.status == .failed)
        #expect(calls.count == 1)
    }

    @Test func timeoutEndsAnAttemptAndRetries() async throws {
        let calls = Counter()
        var flow = WorkflowBuilder("timeout")
        flow.function("slow", policy: ExecutionPolicy(retry: fastRetry, timeout: .milliseconds(50))) { _ in
            // Long enough that a timer delayed by a loaded machine still fires first.
            if calls.next() == 1 { try await Task.sleep(for: .seconds(60)) }
            return ["ok": true]
        }
        let engine = Engine(store: InMemoryStore())
        let result = try await engine.run(try flow.build())
        #expect(result.status == .succeeded)
        let events = try await engine.store.events(run: result.id, after: 0, limit: 100)
        #expect(events.first { $0.type == .stepAttemptFailed }?.data["error"]?["code"] == "timeout")
    }

    @Test func fallbackReplacesAFailedNodeAndContinuesAlongItsEdges() async throws {
        var flow = WorkflowBuilder("fallback")
        flow.function("primary", policy: ExecutionPolicy(fallback: "backup")) { _ in
            throw NodeError(code: "down", message: "primary is down", retryable: false)
        }
        flow.function("backup") { _ in ["answer": "from backup"] }
        flow.function("after") { ctx in ["seen": ctx.state["answer"] ?? .null] }
        flow.edge("primary", "after")
        let engine = Engine(store: InMemoryStore())
        let result = try await engine.run(try flow.build())
        #expect(result.status == .succeeded)
        #expect(result.output?["seen"] == "from backup")
        let events = try await engine.store.events(run: result.id, after: 0, limit: 100)
        #expect(events.contains { $0.type == .stepFallback && $0.data["fallback"] == "backup" })
    }

    @Test func failedSuccessCriterionIsAFailureThatRetries() async throws {
        let calls = Counter()
        var flow = WorkflowBuilder("criterion")
        let criterion = SuccessCriterion.condition(.predicate(name: "score>=0.8") { scope in
            (scope["output"]?["score"]?.doubleValue ?? 0) >= 0.8
        })
        flow.function("score", policy: ExecutionPolicy(retry: fastRetry, success: criterion)) { _ in
            ["score": calls.next() == 1 ? 0.5 : 0.9]
        }
        let engine = Engine(store: InMemoryStore())
        let result = try await engine.run(try flow.build())
        #expect(result.status == .succeeded)
        #expect(result.output?["score"] == 0.9)
        let events = try await engine.store.events(run: result.id, after: 0, limit: 100)
        #expect(events.first { $0.type == .stepAttemptFailed }?.data["error"]?["code"] == "success_criterion_failed")
    }

    @Test func criterionThatNeverHoldsFailsTheRun() async throws {
        var flow = WorkflowBuilder("never")
        flow.function("x", policy: ExecutionPolicy(retry: fastRetry, success: .condition(.predicate(name: "never") { _ in false }))) { _ in ["v": 1] }
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.status == .failed)
        #expect(result.reason?.contains("success criterion") == true)
    }

    @Test func backoffGrowsExponentiallyWithinJitterAndCap() {
        let policy = RetryPolicy(maxAttempts: 10, initialBackoff: .milliseconds(100), multiplier: 2, maxBackoff: .milliseconds(500), jitter: 0.5)
        #expect(policy.backoff(afterAttempt: 1, random: 1) == .milliseconds(100))
        #expect(policy.backoff(afterAttempt: 2, random: 1) == .milliseconds(200))
        #expect(policy.backoff(afterAttempt: 2, random: 0) == .milliseconds(100))
        #expect(policy.backoff(afterAttempt: 6, random: 1) == .milliseconds(500))
    }
}
