import BatonCore
import Testing

@Suite struct EffectJournalTests {
    @Test func aRetriedStepReplaysJournaledEffectsInsteadOfRepeatingThem() async throws {
        let charges = Counter()
        let attempts = Counter()
        var flow = WorkflowBuilder("pay")
        flow.function("charge", policy: ExecutionPolicy(retry: RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1)))) { ctx in
            let receipt: String = try await ctx.effect("charge card") { key in
                charges.next()
                return "receipt for \(key)"
            }
            if attempts.next() == 1 { throw NodeError(code: "flaky", message: "crashed after charging") }
            return ["receipt": .string(receipt)]
        }
        let engine = Engine(store: InMemoryStore())
        let result = try await engine.run(try flow.build())
        #expect(result.status == .succeeded)
        #expect(charges.count == 1)
        #expect(result.output?["receipt"] == .string("receipt for \(result.id)/0.0/0"))
    }

    @Test func effectKeysAreStableAndIndexedInCallOrder() async throws {
        var flow = WorkflowBuilder("keys")
        flow.function("two") { ctx in
            let first: String = try await ctx.effect { key in key }
            let second: String = try await ctx.effect { key in key }
            return ["keys": [.string(first), .string(second)]]
        }
        let engine = Engine(store: InMemoryStore())
        let result = try await engine.run(try flow.build())
        #expect(result.output?["keys"] == [.string("\(result.id)/0.0/0"), .string("\(result.id)/0.0/1")])
        let journal = try await engine.store.effects(run: result.id, step: "0.0")
        #expect(journal.count == 2)
        let events = try await engine.store.events(run: result.id, after: 0, limit: 100)
        #expect(events.filter { $0.type == .effectRecorded }.count == 2)
    }

    @Test func aFailedEffectIsNotJournaledAndRunsAgain() async throws {
        let calls = Counter()
        var flow = WorkflowBuilder("fails")
        flow.function("x", policy: ExecutionPolicy(retry: RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1)))) { ctx in
            let value: Int = try await ctx.effect { _ in
                if calls.next() == 1 { throw NodeError(code: "io", message: "connection reset") }
                return 42
            }
            return ["value": .int(value)]
        }
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.output?["value"] == 42)
        #expect(calls.count == 2)
    }
}
