import BatonCore
import BatonPostgres

/// w5_durable_steps: what a durable step costs on PostgreSQL. w1's 10-step chain on a
/// `PostgresStore` (a fresh schema per figure, dropped after), 500 runs in each figure:
/// `sequential` (primary) one run after another through `Engine.run` in this process,
/// `concurrent_8` with 8 runs at once, and `workers_1`, `workers_2`, `workers_4`: the runs are
/// enqueued (`Engine.start`, as `baton run --detach` does), then 1, 2 or 4 worker processes
/// (``WorkerProcesses``, each driving up to 8 runs at once) are started and timed from their
/// start until every run has succeeded. Primary: µs per step (wall time / (runs × 10)).
///
/// `sequential` is cut into rounds, each after a round of raw commits (``RawPostgresFloor`` over
/// the transport the store uses: TCP for a host address), measured in this process as the
/// figure `sequential_floor_raw_tcp`, so that a disk whose fsync speed drifts moves both sides of
/// the ratio alike (as in w2). A worker figure's CPU time is this process's and its workers'
/// (their whole lives), never PostgreSQL's. Targets, measured and not asserted: `sequential` ≤
/// 1.3× a raw commit per step (`ratio_sequential_to_raw_commit`, `target_ratio_met`), and 4
/// workers at least 2× the runs per second of one (`target_throughput_met`).
///
/// Without a PostgreSQL server (``BenchPostgres``) it is skipped, unless
/// `BATON_REQUIRE_POSTGRES=1`, where that fails it.
struct W5DurableSteps: Workload {
    let name = "w5_durable_steps"
    let summary = "w1's chain on PostgreSQL, 500 runs in one process, 8 at once, on 1, 2 and 4 worker processes: µs per step"
    static let concurrentRuns = 8
    static let workerProcesses = [1, 2, 4]
    static let workerConcurrency = 8
    static let targetThroughputRatio = 2.0
    static let targetRatioSequential = 1.3
    /// How often the runs' progress is read while workers drive them.
    static let pollInterval = Duration.milliseconds(20)

    func run(_ context: BenchContext) async throws -> Measurement {
        let server = try BenchPostgres.required(for: name)
        let runs = context.count(500, quick: 20)
        let warmUp = context.count(20, quick: 4)
        let workflow = try ChainWorkflow.make()
        let sizes = Sizes(runs: runs, warmUp: warmUp, floorCommits: context.count(5_000, quick: 300), rounds: context.count(10, quick: 2))
        // The floor of the transport the store uses (the URL's: TCP unless its host is a socket directory).
        let transport: RawPostgresFloor.Transport = server.location.socketDirectory == nil ? .tcp : .socket
        let floorName = "sequential_floor_raw_\(transport.rawValue)"
        var figures: [(name: String, figure: Figure)] = []
        for (figure, concurrent) in [("sequential", 1), ("concurrent_\(Self.concurrentRuns)", Self.concurrentRuns)] {
            let (measured, floor) = try await withStore(server, figure) { store in
                try await measureInProcess(
                    figure, store, server, workflow, sizes: sizes, concurrent: concurrent, floor: concurrent == 1 ? transport : nil
                )
            }
            figures.append((figure, measured))
            if let floor { figures.append((floorName, floor)) }
        }
        for processes in Self.workerProcesses {
            let figure = "workers_\(processes)"
            let measured = try await withStore(server, figure) { store in
                try await measureWorkers(figure, store, server, workflow, runs: runs, processes: processes)
            }
            figures.append((figure, measured))
        }

        func runsPerSecond(_ name: String) -> Double {
            figures.first { $0.name == name }.map { Double($0.figure.ops / ChainWorkflow.length) / $0.figure.seconds } ?? .nan
        }
        let ratio = runsPerSecond("workers_4") / runsPerSecond("workers_1")
        let perStep = { (name: String) in figures.first { $0.name == name }?.figure.microsecondsPerOp ?? .nan }
        let stepRatio = perStep("sequential") / perStep(floorName)
        return Measurement(
            workload: name, primary: "sequential", figures: figures,
            params: [
                ("store", .string("postgres")), ("postgres", .string(server.server)), ("steps_per_run", .int(ChainWorkflow.length)),
                ("runs_per_figure", .int(runs)), ("warm_up_runs", .int(warmUp)), ("concurrent_runs", .int(Self.concurrentRuns)),
                ("floor_commits", .int(sizes.floorCommits)), ("rounds", .int(sizes.rounds)),
                ("worker_processes", .json(.array(Self.workerProcesses.map { .int($0) }))), ("worker_concurrency", .int(Self.workerConcurrency)),
                ("worker_supersteps_per_turn", .int(PostgresWorker.Options().superstepsPerTurn)),
                ("workers_timed", .string("from starting the processes until every run has succeeded (polled every \(Self.pollInterval))")),
                ("workers_cpu", .string("this process and the worker processes (their whole lives), not PostgreSQL")),
                ("quick", .bool(context.quick)),
                ("ratio_sequential_to_raw_commit", .number(stepRatio, digits: 2)),
                ("target_ratio_sequential", .number(Self.targetRatioSequential, digits: 1)),
                ("target_ratio_met", .bool(stepRatio <= Self.targetRatioSequential)),
                ("runs_per_second", .object(figures.filter { $0.figure.unit == "step" }.map { ($0.name, .number(runsPerSecond($0.name), digits: 1)) })),
                ("throughput_ratio_workers_4_to_1", .number(ratio, digits: 2)),
                ("target_throughput_ratio", .number(Self.targetThroughputRatio, digits: 1)),
                ("target_throughput_met", .bool(ratio >= Self.targetThroughputRatio)),
            ],
            peakRSSKilobytes: Meter.peakRSSKilobytes()
        )
    }

    /// Runs `body` on a store in a fresh schema, and drops the schema after, whatever happens.
    private func withStore<T>(_ server: BenchPostgres, _ figure: String, _ body: (PostgresStore) async throws -> T) async throws -> T {
        let store: PostgresStore
        do {
            store = try await PostgresStore(location: try server.freshLocation(prefix: "bench_w5"), connections: Self.concurrentRuns + 2)
        } catch {
            throw BenchFailure(workload: name, "\(figure): \(error)")
        }
        do {
            let value = try await body(store)
            try await store.dropSchema()
            store.close()
            return value
        } catch {
            try? await store.dropSchema()
            store.close()
            throw error
        }
    }

    struct Sizes {
        var runs: Int
        var warmUp: Int
        /// Raw commits of the floor measured beside `sequential`, and the rounds both are cut into.
        var floorCommits: Int
        var rounds: Int
    }

    /// Warms up, then times `runs` runs through `Engine.run`, `concurrent` at a time, and checks
    /// them. With a `floor` transport, the runs are cut into rounds, each after a round of raw
    /// commits over it (as w2 does: a disk whose fsync speed drifts moves both sides of the ratio
    /// alike); returns the floor's figure too.
    private func measureInProcess(
        _ figure: String, _ store: PostgresStore, _ server: BenchPostgres, _ workflow: Workflow, sizes: Sizes, concurrent: Int,
        floor transport: RawPostgresFloor.Transport?
    ) async throws -> (Figure, Figure?) {
        let (runs, warmUp) = (sizes.runs, sizes.warmUp)
        let engine = Engine(store: store)
        try await engine.prepare(workflow)
        try await execute(engine, workflow, ids: (0..<warmUp).map { RunID("warm-\($0)") }, concurrent: concurrent)
        let ids = (0..<runs).map { RunID("\(figure)-\($0)") }
        var measured = Figure.zero(unit: "step")
        var floorFigure: Figure?
        if let transport {
            var floor = try await RawPostgresFloor(transport, server: server, workload: name)
            _ = try await floor.measure(commits: sizes.floorCommits / 100)
            var total = Figure.zero(unit: "commit")
            for round in 0..<sizes.rounds {
                total += try await floor.measure(commits: share(sizes.floorCommits, round, of: sizes.rounds).count)
                let slice = Array(ids[share(runs, round, of: sizes.rounds)])
                measured += try await Meter.measure(ops: slice.count * ChainWorkflow.length, unit: "step") {
                    try await execute(engine, workflow, ids: slice, concurrent: concurrent)
                }
            }
            try await floor.close(checkingFor: name, server: server)
            floorFigure = total
        } else {
            measured = try await Meter.measure(ops: runs * ChainWorkflow.length, unit: "step") {
                try await execute(engine, workflow, ids: ids, concurrent: concurrent)
            }
        }
        let stored = try await store.runs(RunQuery(status: .succeeded, workflow: workflow.name, limit: runs + warmUp + 1))
        try expect(stored.count == runs + warmUp, in: name, "\(figure): the store holds \(stored.count) succeeded runs, expected \(runs + warmUp)")
        try await check(figure, store, ids)
        return (measured, floorFigure)
    }

    /// The `round`th of `rounds` near-equal parts of `0..<total`.
    private func share(_ total: Int, _ round: Int, of rounds: Int) -> Range<Int> {
        (total * round / rounds)..<(total * (round + 1) / rounds)
    }

    /// Enqueues `runs` runs, then times `processes` worker processes from their start until every
    /// run has ended; stops them and checks the runs.
    private func measureWorkers(
        _ figure: String, _ store: PostgresStore, _ server: BenchPostgres, _ workflow: Workflow, runs: Int, processes: Int
    ) async throws -> Figure {
        let starter = Engine(store: store)
        var ids: [RunID] = []
        for index in 0..<runs { ids.append(try await starter.start(workflow, id: RunID("\(figure)-\(index)"))) }
        let childrenBefore = Meter.childrenCPUSeconds()
        var workers: WorkerProcesses?
        var measured: Figure
        do {
            measured = try await Meter.measure(ops: runs * ChainWorkflow.length, unit: "step") {
                let started = try WorkerProcesses(
                    count: processes, schema: store.location.schema, concurrency: Self.workerConcurrency, server: server, workload: name
                )
                workers = started
                try await waitUntilEnded(figure, store, runs: runs, workers: started)
            }
        } catch {
            try? await workers?.stop()
            throw error
        }
        try await workers?.stop()
        measured.cpuSeconds += Meter.childrenCPUSeconds() - childrenBefore
        try await check(figure, store, ids)
        return measured
    }

    /// Waits until no run is pending or running (every run has ended), failing if a worker exits
    /// early or the runs take far longer than they should.
    private func waitUntilEnded(_ figure: String, _ store: PostgresStore, runs: Int, workers: WorkerProcesses) async throws {
        let limit = Duration.seconds(120) + .milliseconds(100 * runs)
        let deadline = ContinuousClock.now + limit
        while true {
            if try await store.runs(RunQuery(status: .pending, limit: 1)).isEmpty, try await store.runs(RunQuery(status: .running, limit: 1)).isEmpty {
                return
            }
            try expect(workers.allRunning, in: name, "\(figure): a worker process ended before the runs did")
            try expect(ContinuousClock.now < deadline, in: name, "\(figure): the runs had not ended within \(limit)")
            try await Task.sleep(for: Self.pollInterval)
        }
    }

    /// Checks each run: succeeded with `count == 10`, its journal intact, each of its 10 steps
    /// committed exactly once.
    private func check(_ figure: String, _ store: PostgresStore, _ ids: [RunID]) async throws {
        for id in ids {
            guard let run = try await store.run(id) else { throw BenchFailure(workload: name, "\(figure): run \(id) is not in the store") }
            try expect(run.status == .succeeded, in: name, "\(figure): run \(id) ended \(run.status): \(run.reason ?? "no reason")")
            try expect(
                run.output?["count"] == .int(ChainWorkflow.length), in: name,
                "\(figure): run \(id) ended with count \(run.output?["count"]?.canonicalString ?? "missing"), expected \(ChainWorkflow.length)"
            )
            let trail = try await store.auditTrail(run: id)
            try expect(EventChain.verify(trail.events, head: trail.head).isIntact, in: name, "\(figure): the journal of run \(id) is not intact")
            let steps = trail.events.filter { $0.type == .stepSucceeded }.count
            try expect(steps == ChainWorkflow.length, in: name, "\(figure): run \(id) committed \(steps) steps, expected \(ChainWorkflow.length)")
        }
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
