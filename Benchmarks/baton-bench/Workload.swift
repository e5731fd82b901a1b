/// One benchmark: it builds what it needs, warms up, times its loop, checks every result, and
/// returns one ``Measurement``. A wrong result throws ``BenchFailure`` instead.
protocol Workload: Sendable {
    /// The name `--workload` selects, e.g. `w1_chain`.
    var name: String { get }
    /// One line for `--help`.
    var summary: String { get }
    func run(_ context: BenchContext) async throws -> Measurement
}

/// The workloads, in the order `--workload all` runs them.
let allWorkloads: [any Workload] = [W1Chain(), W2ChainDurable(), W3Fanout(), W4AgentLoop(), W5DurableSteps(), W6Baseline(), W7Parked(), W8Policy(), W9Schema()]

/// What every workload is given.
struct BenchContext: Sendable {
    /// Tiny counts, for CI: checks that everything still runs and is right, measures little.
    var quick: Bool
    /// Multiplies the full counts (`--scale`).
    var scale = 1
    /// Where database files are created (each workload makes fresh ones and removes them).
    var directory: ScratchDirectory

    /// `full` (times `--scale`) normally, `quick` under `--quick`.
    func count(_ full: Int, quick: Int) -> Int { self.quick ? quick : full * scale }
}
