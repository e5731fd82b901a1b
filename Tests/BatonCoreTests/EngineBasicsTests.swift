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
        #expect(EventChain.verify(events) == .intact(events: events.count))
        #expect(events.first?.type == .runStarted)
        #expect(events.last?.type == .runSucceeded)
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
