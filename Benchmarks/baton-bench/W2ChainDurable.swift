import BatonCore
import BatonSQLite

/// w2_chain_durable: what durability costs. w1's chain on the SQLite store, a fresh file per
/// mode, every run its own id, 1,000 runs in each durability mode: `full` (primary) and `normal`
/// one run after another, `batched` with 8 runs at once (and, to show what batching buys,
/// `full` with 8 runs at once too). Primary: µs per node.
///
/// Each mode is divided by the floor of its synchronous setting, w6's raw single-row commit
/// (`full` and `batched` by a FULL commit, `normal` by a NORMAL one), measured in this process
/// and interleaved with the mode's own loop: ten rounds of 1,000 raw commits then 100 runs, so
/// that a disk whose fsync speed drifts (a shared virtual disk does) moves both sides of the ratio
/// alike. Target: `full` ≤ 1.3× a raw FULL commit per step.
struct W2ChainDurable: Workload {
    let name = "w2_chain_durable"
    let summary = "w1's chain on SQLite, 1,000 runs per durability mode: µs per node, ratio to a raw commit (target full ≤ 1.3×)"
    static let targetRatioFull = 1.3
    static let concurrentRuns = 8

    /// One timed configuration: a durability mode, how many runs execute at once, and the raw
    /// commit it is compared with.
    struct Mode {
        var figure: String
        var durability: SQLiteStore.Durability
        var concurrent: Int
        var floor: RawSQLiteFloor.Synchronous
    }

    static let modes = [
        Mode(figure: "full", durability: .full, concurrent: 1, floor: .full),
        Mode(figure: "normal", durability: .normal, concurrent: 1, floor: .normal),
        Mode(figure: "batched", durability: .batched, concurrent: concurrentRuns, floor: .full),
        Mode(figure: "full_concurrent", durability: .full, concurrent: concurrentRuns, floor: .full),
    ]

    func run(_ context: BenchContext) async throws -> Measurement {
        let sizes = Sizes(
            runs: context.count(1_000, quick: 48), warmUp: context.count(20, quick: 4),
            floorCommits: context.count(10_000, quick: 300), rounds: context.count(10, quick: 2)
        )
        let workflow = try ChainWorkflow.make()
        var engineFigures: [(name: String, figure: Figure)] = []
        var floorFigures: [(name: String, figure: Figure)] = []
        var ratios: [(String, JSONText)] = []
        var fullRatio = Double.nan
        for mode in Self.modes {
            let (figure, floor) = try await measure(mode, workflow: workflow, sizes: sizes, context: context)
            engineFigures.append((mode.figure, figure))
            floorFigures.append(("\(mode.figure)_floor_raw_\(mode.floor.rawValue.lowercased())", floor))
            let ratio = figure.microsecondsPerOp / floor.microsecondsPerOp
            ratios.append((mode.figure, .number(ratio, digits: 2)))
            if mode.figure == "full" { fullRatio = ratio }
        }

        return Measurement(
            workload: name, primary: "full", figures: engineFigures + floorFigures,
            params: [
                ("store", .string("sqlite")), ("nodes", .int(ChainWorkflow.length)), ("runs_per_mode", .int(sizes.runs)),
                ("warm_up_runs", .int(sizes.warmUp)), ("concurrent_runs", .int(Self.concurrentRuns)),
                ("floor_commits_per_mode", .int(sizes.floorCommits)), ("rounds", .int(sizes.rounds)),
                ("directory", .string(context.directory.path)), ("quick", .bool(context.quick)),
                ("ratio_to_raw_commit", .object(ratios)),
                ("target_ratio_full", .number(Self.targetRatioFull, digits: 1)),
                ("target_met", .bool(fullRatio <= Self.targetRatioFull)),
            ],
            peakRSSKilobytes: Meter.peakRSSKilobytes()
        )
    }

    struct Sizes {
        var runs: Int
        var warmUp: Int
        var floorCommits: Int
        var rounds: Int
    }

    /// Warms up on files of its own, then alternates rounds of raw commits and runs on fresh
    /// files; checks that every run is stored as succeeded. Returns the mode's figure and its floor.
    private func measure(_ mode: Mode, workflow: Workflow, sizes: Sizes, context: BenchContext) async throws -> (Figure, Figure) {
        let warmStore = try SQLiteStore(path: context.directory.file("warm-\(mode.figure).sqlite"), durability: mode.durability)
        try await execute(Engine(store: warmStore), workflow, ids: (0..<sizes.warmUp).map { RunID("warm-\($0)") }, concurrent: mode.concurrent)
        try warmStore.close()
        var floor = try await RawSQLiteFloor(mode.floor, path: context.directory.file("raw-\(mode.figure).sqlite"))
        _ = try await floor.measure(commits: sizes.floorCommits / 100)

        let store = try SQLiteStore(path: context.directory.file("\(mode.figure).sqlite"), durability: mode.durability)
        let engine = Engine(store: store)
        try await engine.prepare(workflow)
        let ids = (0..<sizes.runs).map { RunID("\(mode.figure)-\($0)") }
        var figure = Figure.zero(unit: "node")
        var floorFigure = Figure.zero(unit: "commit")
        for round in 0..<sizes.rounds {
            floorFigure += try await floor.measure(commits: share(sizes.floorCommits, round, of: sizes.rounds).count)
            let slice = Array(ids[share(sizes.runs, round, of: sizes.rounds)])
            figure += try await Meter.measure(ops: slice.count * ChainWorkflow.length, unit: "node") {
                try await execute(engine, workflow, ids: slice, concurrent: mode.concurrent)
            }
        }
        try await floor.close(checkingFor: name)

        let stored = try await store.runs(RunQuery(status: .succeeded, workflow: workflow.name, limit: sizes.runs + 1))
        try expect(stored.count == sizes.runs, in: name, "\(mode.figure): the store holds \(stored.count) succeeded runs, expected \(sizes.runs)")
        try expect(Set(stored.map(\.id)) == Set(ids), in: name, "\(mode.figure): the stored runs are not the ones started")
        try store.close()
        return (figure, floorFigure)
    }

    /// The `round`th of `rounds` near-equal parts of `0..<total`.
    private func share(_ total: Int, _ round: Int, of rounds: Int) -> Range<Int> {
        (total * round / rounds)..<(total * (round + 1) / rounds)
    }

    /// Runs one run per id, `concurrent` at a time, checking each.
    private func execute(_ engine: Engine, _ workflow: Workflow, ids: [RunID], concurrent: Int) async throws {
        let name = self.name
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<concurrent {
                group.addTask {
                    for index in stride(from: lane, to: ids.count, by: concurrent) {
                        try ChainWorkflow.check(try await engine.run(workflow, id: ids[index]), in: name)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
