import BatonCore
import Testing

@Suite struct EngineBasicsTests {
    @Test func chainAddsUp() async throws {
        var flow = WorkflowBuilder("chain")
        flow.state("count", .sum, initial: 0)
        for index in 0..<10 {
            flow.function("n\(index)") { _ in ["count": 1] }
            if index > 0 { flow.edge("n\(index - 1)", "n\(index)") }
        }
        let engine = Engine(store: InMemoryStore())
        let result = try await engine.run(try flow.build())
        #expect(result.status == .succeeded)
        #expect(result.output?["count"] == 10)
        let events = try await engine.store.events(run: result.id, after: 0, limit: 1000)
        #expect(EventChain.verify(events) == .intact(events: events.count, authentication: .none))
        #expect(events.first?.type == .runStarted)
        #expect(events.last?.type == .runSucceeded)
    }

    @Test func stepAndEffectEventsCarryTheirDataMembers() async throws {
        var flow = WorkflowBuilder("events")
        flow.state("count", .sum, initial: 0)
        flow.function("first") { step in
            let answer: Int = try await step.effect("clock") { _ in 7 }
            return ["count": .int(answer)]
        }
        flow.function("second") { _ in ["count": 1] }
        flow.edge("first", "second")
        let engine = Engine(store: InMemoryStore())
        let result = try await engine.run(try flow.build())
        #expect(result.output?["count"] == 8)
        let events = try await engine.store.events(run: result.id, after: 0, limit: 100)
        #expect(EventChain.verify(events) == .intact(events: events.count, authentication: .none))
        #expect(events.map(\.type) == [.runStarted, .effectRecorded, .stepSucceeded, .stepSucceeded, .runSucceeded])
        let key = "\(result.id.rawValue)/0.0/0"
        #expect(events[1].data == ["name": "clock", "value": 7, "step": "0.0", "index": 0, "idempotency_key": .string(key)])
        for (event, step, node, next) in [(events[2], "0.0", "first", ["second"]), (events[3], "1.0", "second", [])] {
            guard case let .object(data) = event.data, let started = data["started"]?.intValue else {
                Issue.record("step event without data: \(event.data)")
                continue
            }
            #expect(Set(data.keys) == ["step", "node", "attempt", "started", "duration_ms", "writes", "next"])
            #expect(data["step"] == .string(step))
            #expect(data["node"] == .string(node))
            #expect(data["attempt"] == 1)
            #expect(started <= Int(event.time))
            #expect(data["duration_ms"] == .int(Int(event.time) - started))
            #expect(data["writes"] == ["count": node == "first" ? 7 : 1])
            #expect(data["next"] == .array(next.map(JSON.string)))
        }
    }

    @Test func parallelBranchesMergeInBranchOrderNotCompletionOrder() async throws {
        var flow = WorkflowBuilder("fan")
        flow.state("log", .append, initial: [])
        flow.function("start") { _ in nil }
        flow.function("slow") { _ in
            try await Task.sleep(for: .milliseconds(30))
            return ["log": "slow"]
        }
        flow.function("fast") { _ in ["log": "fast"] }
        flow.edge("start", parallel: ["slow", "fast"])
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.output?["log"] == ["slow", "fast"])
    }
}

@Suite struct CanonicalJSONTests {
    @Test(arguments: [0, 7, -7, 10, 1_234_567_890, Int.max, Int.min])
    func integersAreWrittenInDecimal(_ value: Int) {
        #expect(JSON.int(value).canonicalString == String(value))
    }

    @Test func stringsAreEscapedOnlyWhereJSONRequires() {
        #expect(JSON.string("plain é ✓").canonicalString == "\"plain é ✓\"")
        #expect(JSON.string("a\"b\\c\nd\u{01}").canonicalString == #""a\"b\\c\nd\u0001""#)
        let text = "line\n\"quoted\"\t\u{1F}"
        let parsed = try? JSON(parsing: JSON.string(text).canonicalString)
        #expect(parsed == .string(text))
    }
}
