import BatonCore

/// w3_fanout: the cost of a branch. A `map` node fans out over N items; each branch returns its
/// index into `results` (an `append` key); a join node sums them. N=1,000 twenty times, then
/// N=10,000 once, on the in-memory store; each run is checked to end with
/// `total == N(N-1)/2`. Primary: µs per branch at N=1,000; also per branch at N=10,000.
struct W3Fanout: Workload {
    let name = "w3_fanout"
    let summary = "map over N branches joined by a sum, N=1,000 ×20 and N=10,000 ×1: µs per branch"

    func run(_ context: BenchContext) async throws -> Measurement {
        let small = context.count(1_000, quick: 100)
        let large = context.count(10_000, quick: 1_000)
        let repetitions = context.count(20, quick: 3)
        let warmUp = context.count(2, quick: 1)
        let engine = Engine(store: InMemoryStore())

        let smallRuns = try FanoutWorkflow(branches: small)
        try await runChecked(smallRuns, times: warmUp, on: engine)
        let smallFigure = try await Meter.measure(ops: repetitions * small, unit: "branch") {
            try await runChecked(smallRuns, times: repetitions, on: engine)
        }
        let largeRun = try FanoutWorkflow(branches: large)
        let largeFigure = try await Meter.measure(ops: large, unit: "branch") {
            try await runChecked(largeRun, times: 1, on: engine)
        }

        return Measurement(
            workload: name, primary: "n\(small)",
            figures: [("n\(small)", smallFigure), ("n\(large)", largeFigure)],
            params: [
                ("store", .string("memory")), ("n", .int(small)), ("runs_at_n", .int(repetitions)), ("large_n", .int(large)),
                ("runs_at_large_n", .int(1)), ("warm_up_runs", .int(warmUp)),
                ("max_concurrency", .int(RunLimits.default.maxConcurrency)), ("quick", .bool(context.quick)),
                // 1.0 when a branch costs the same however many siblings it has; more means the
                // engine does work that grows faster than the fan-out.
                ("per_branch_large_to_small", .number(largeFigure.microsecondsPerOp / smallFigure.microsecondsPerOp, digits: 2)),
            ],
            peakRSSKilobytes: Meter.peakRSSKilobytes()
        )
    }

    /// Runs `fanout` `times` times, checking each run.
    private func runChecked(_ fanout: FanoutWorkflow, times: Int, on engine: Engine) async throws {
        for _ in 0..<times { try fanout.check(try await fanout.run(on: engine), in: name) }
    }
}
