import BatonCore
import BatonTesting
import PropertyBased
import Testing

@Suite struct DeterminismPropertyTests {
    /// A layered graph with parallel edges and joins; every node writes to keys with every kind of
    /// reducer. `delays` decides how long each node sleeps, i.e. the completion order.
    static func randomWorkflow(seed: UInt64, delays: @escaping @Sendable (String) -> Int) throws -> Workflow {
        var random = SeededGenerator(seed: seed)
        var flow = WorkflowBuilder("random-\(seed)")
        flow.state("log", .append, initial: [])
        flow.state("total", .sum, initial: 0)
        flow.state("by_node", .merge, initial: [:])
        flow.state("last", .replace)
        let layers = Int.random(in: 2...4, using: &random)
        var previous: [String] = []
        for layer in 0..<layers {
            let width = layer == 0 ? 1 : Int.random(in: 1...4, using: &random)
            let names = (0..<width).map { "L\(layer)N\($0)" }
            for name in names {
                let amount = Int.random(in: 1...100, using: &random)
                flow.function(name) { _ in
                    try await Task.sleep(for: .microseconds(delays(name)))
                    return ["log": .string(name), "total": .int(amount), "by_node": [name: .int(amount)], "last": .string(name)]
                }
            }
            if !previous.isEmpty {
                var hasParent = Set<String>()
                for parent in previous {
                    var children = names.filter { _ in Bool.random(using: &random) }
                    if children.isEmpty { children = [names[Int.random(in: 0..<names.count, using: &random)]] }
                    hasParent.formUnion(children)
                    flow.edge(parent, parallel: children)
                }
                for orphan in names where !hasParent.contains(orphan) {
                    flow.edge(previous[Int.random(in: 0..<previous.count, using: &random)], orphan)
                }
            }
            previous = names
        }
        return try flow.build()
    }

    @Test func theFinalStateDoesNotDependOnCompletionOrder() async throws {
        await propertyCheck(count: 25, input: Gen.int(in: 0...1_000_000)) { seed in
            do {
                let forward = try await Self.finalState(seed: UInt64(seed)) { name in name.hash & 0x3FF }
                let reversed = try await Self.finalState(seed: UInt64(seed)) { name in 1024 - (name.hash & 0x3FF) }
                let instant = try await Self.finalState(seed: UInt64(seed)) { _ in 0 }
                #expect(forward == reversed)
                #expect(forward == instant)
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    static func finalState(seed: UInt64, delays: @escaping @Sendable (String) -> Int) async throws -> JSON? {
        let workflow = try randomWorkflow(seed: seed, delays: delays)
        let result = try await Engine(store: InMemoryStore()).run(workflow)
        #expect(result.status == .succeeded)
        return result.output
    }
}
