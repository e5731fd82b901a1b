import BatonCore

/// The graph of w1 and w2: a straight chain of 10 function nodes, each adding 1 to `count`
/// (a `sum` key), so a run ends with `count == 10` after exactly 10 steps.
enum ChainWorkflow {
    static let length = 10

    static func make() throws -> Workflow {
        var flow = WorkflowBuilder("bench-chain")
        flow.state("count", .sum, initial: 0)
        for index in 0..<length {
            flow.function("add\(index)") { _ in ["count": 1] }
            if index > 0 { flow.edge("add\(index - 1)", "add\(index)") }
        }
        return try flow.build()
    }

    /// Checks one run: it succeeded and counted to 10.
    static func check(_ result: RunResult, in workload: String) throws(BenchFailure) {
        try expect(result.status == .succeeded, in: workload, "run \(result.id) ended \(result.status): \(result.reason ?? "no reason")")
        try expect(
            result.output?["count"] == .int(length), in: workload,
            "run \(result.id) ended with count \(result.output?["count"]?.canonicalString ?? "missing"), expected \(length)"
        )
    }
}
