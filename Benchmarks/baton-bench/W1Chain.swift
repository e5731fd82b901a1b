import BatonCore

/// w1_chain: the engine's own cost per node, with nothing durable under it. A chain of 10
/// function nodes on the in-memory store; 20 warm-up runs, then 1,000 timed runs, each checked
/// to end with `count == 10`. Primary: µs per node. Target: ≤ 2 µs per node.
struct W1Chain: Workload {
    let name = "w1_chain"
    let summary = "10-node chain, in-memory store, 1,000 runs: µs per node (target ≤ 2)"
    static let targetMicrosecondsPerNode = 2.0

    func run(_ context: BenchContext) async throws -> Measurement {
        let warmUp = context.count(20, quick: 5)
        let runs = context.count(1_000, quick: 100)
        let workflow = try ChainWorkflow.make()
        let engine = Engine(store: InMemoryStore())
        for _ in 0..<warmUp { try ChainWorkflow.check(try await engine.run(workflow), in: name) }

        let figure = try await Meter.measure(ops: runs * ChainWorkflow.length, unit: "node") {
            for _ in 0..<runs { try ChainWorkflow.check(try await engine.run(workflow), in: name) }
        }
        let target = Self.targetMicrosecondsPerNode
        return Measurement(
            workload: name, primary: "memory", figures: [("memory", figure)],
            params: [
                ("store", .string("memory")), ("nodes", .int(ChainWorkflow.length)), ("warm_up_runs", .int(warmUp)),
                ("runs", .int(runs)), ("quick", .bool(context.quick)),
                ("target_us_per_node", .number(target, digits: 1)),
                ("target_met", .bool(figure.microsecondsPerOp <= target)),
                ("ratio_to_target", .number(figure.microsecondsPerOp / target, digits: 2)),
            ],
            peakRSSKilobytes: Meter.peakRSSKilobytes()
        )
    }
}
