import BatonCore

/// The graph of w3 for one N: a `map` node over `items` runs N branches, each returning its index
/// into `results` (an `append` key); the map's edge leads to `sum`, which writes `total`. The
/// input (the N items) is built once, outside the timed loop.
struct FanoutWorkflow: Sendable {
    let branches: Int
    let workflow: Workflow
    let input: JSON

    init(branches: Int) throws {
        self.branches = branches
        var flow = WorkflowBuilder("bench-fanout-\(branches)")
        flow.limits = RunLimits(maxSteps: 10, maxMapItems: branches)
        flow.state("results", .append, initial: [])
        flow.node("fan", .map(MapSpec(over: try StatePath("items"), node: "branch", into: "results")))
        flow.function("branch") { context in .int(context.index ?? -1) }
        flow.function("sum") { context in
            ["total": .int(context.state["results"]?.arrayValue?.reduce(0) { $0 + ($1.intValue ?? 0) } ?? -1)]
        }
        flow.edge("fan", "sum")
        workflow = try flow.build()
        input = ["items": .array((0..<branches).map { .int($0) })]
    }

    func run(on engine: Engine) async throws -> RunResult {
        try await engine.run(workflow, input: input)
    }

    /// The run succeeded, every branch wrote its index in order, and the join summed them.
    func check(_ result: RunResult, in workload: String) throws(BenchFailure) {
        try expect(result.status == .succeeded, in: workload, "N=\(branches): run ended \(result.status): \(result.reason ?? "no reason")")
        let expected = branches * (branches - 1) / 2
        let total = result.output?["total"]?.intValue
        try expect(total == expected, in: workload, "N=\(branches): total is \(total.map(String.init) ?? "missing"), expected \(expected)")
        try expect(
            result.output?["results"] == input["items"], in: workload,
            "N=\(branches): `results` is not the indexes 0..<\(branches) in order (\(result.output?["results"]?.arrayValue?.count ?? 0) values)"
        )
    }
}
