import BatonCore

/// Creating, reading and listing runs; keeping workflows.
extension StoreConformance {
    /// A created run reads back field for field, numbered and chained, with checkpoint 0 in its history.
    public func createAndGetRun(_ store: any Store) async throws {
        var run = Self.makeRun(input: ["topic": "otters", "depth": 2])
        run.parent = RunParent(run: "run_parent", relation: .fork, at: "3")
        let drafts = [
            EventDraft(.runStarted, ["workflow": "conformance"], time: run.createdAt),
            EventDraft(.runForked, ["parent": "run_parent"], time: run.createdAt + 1),
        ]
        try await store.createRun(run, events: drafts)

        let events = try await Self.allEvents(store, run.id)
        try Expect.equal(events.map(\.seq), [1, 2], "event numbers after createRun")
        try Expect.equal(events.map(\.type), [.runStarted, .runForked], "event types after createRun")
        try Expect.equal(events.map(\.time), [run.createdAt, run.createdAt + 1], "event times after createRun")
        try Expect.intact(events, "after createRun")

        var expected = run
        expected.lastSeq = 2
        expected.lastHash = events[1].hash
        guard let stored = try await store.run(run.id) else { throw ConformanceFailure("run(\(run.id)) returned nil after createRun") }
        try Expect.equal(stored, expected, "the stored run")
        try Expect.sameJSON(stored.input, run.input, "the stored input")
        try Expect.sameJSON(stored.checkpoint.state, run.checkpoint.state, "the stored checkpoint state")

        let history = try await store.checkpoints(run: run.id)
        try Expect.equal(history.count, 1, "checkpoint records after createRun")
        try Expect.equal(history.first?.superstep, 0, "the first checkpoint's superstep")
        try Expect.equal(history.first?.frontier, run.checkpoint.frontier, "the first checkpoint's frontier")
        try Expect.equal(history.first?.visits, run.checkpoint.visits, "the first checkpoint's visits")
        try Expect.equal(
            history.first?.writes, [StateWrite(key: "count", value: 0), StateWrite(key: "topic", value: "otters")],
            "the first checkpoint's writes (the initial state as replace-writes, keys sorted)"
        )
        try Expect.that(try await store.run(RunID.generate()) == nil, "run(id) of an unknown id must be nil")
    }

    /// A second run with an existing id is refused, and the first is left as it was.
    public func duplicateRunRefused(_ store: any Store) async throws {
        let run = Self.makeRun()
        let stored = try await Self.create(run, in: store)
        var twin = Self.makeRun(run.id, workflow: "other")
        twin.status = .running
        try await Expect.storeError("createRun with an existing id", matching: { $0 == .runAlreadyExists(run.id) }) {
            try await store.createRun(twin, events: [EventDraft(.runStarted, ["twin": true])])
        }
        try Expect.equal(try await store.run(run.id), stored, "the original run after a refused duplicate")
        try Expect.equal(try await Self.allEvents(store, run.id).count, 1, "events after a refused duplicate")
        try Expect.equal(try await store.checkpoints(run: run.id).count, 1, "checkpoints after a refused duplicate")
    }

    /// `runs(_:)` lists newest first (ties by id, descending), filters by status and workflow, and honours the limit.
    public func runsNewestFirstWithFilters(_ store: any Store) async throws {
        let base: Int64 = 1_700_000_000_000
        let specs: [(String, String, RunStatus, Int64)] = [
            ("run_c01", "alpha", .succeeded, base + 10), ("run_c02", "beta", .running, base + 20),
            ("run_c03", "alpha", .running, base + 30), ("run_c04", "alpha", .failed, base + 30),
            ("run_c05", "beta", .succeeded, base + 50), ("run_c06", "alpha", .succeeded, base + 5),
        ]
        for (id, workflow, status, created) in specs {
            try await Self.create(Self.makeRun(RunID(id), workflow: workflow, status: status, createdAt: created), in: store)
        }
        func ids(_ query: RunQuery) async throws -> [String] { try await store.runs(query).map(\.id.rawValue) }

        try Expect.equal(try await ids(RunQuery()), ["run_c05", "run_c04", "run_c03", "run_c02", "run_c01", "run_c06"], "all runs, newest first")
        try Expect.equal(try await ids(RunQuery(status: .succeeded)), ["run_c05", "run_c01", "run_c06"], "succeeded runs")
        try Expect.equal(try await ids(RunQuery(workflow: "alpha")), ["run_c04", "run_c03", "run_c01", "run_c06"], "runs of alpha")
        try Expect.equal(try await ids(RunQuery(status: .running, workflow: "alpha")), ["run_c03"], "running runs of alpha")
        try Expect.equal(try await ids(RunQuery(limit: 2)), ["run_c05", "run_c04"], "the two newest runs")
        try Expect.equal(try await ids(RunQuery(status: .succeeded, limit: 1)), ["run_c05"], "the newest succeeded run")
        try Expect.equal(try await ids(RunQuery(workflow: "gamma")), [], "runs of an unknown workflow")
        try Expect.equal(try await ids(RunQuery(status: .waiting)), [], "waiting runs (none)")
        let listed = try await store.runs(RunQuery(workflow: "beta"))
        try Expect.equal(listed.first, try await store.run("run_c05"), "a listed run is the same record as run(id)")
    }

    /// Workflows are kept by hash; saving the same hash again is allowed.
    public func workflowsSaveAndGet(_ store: any Store) async throws {
        let yaml = StoredWorkflow(
            hash: "sha-1", name: "triage", versionLabel: "v2", format: "yaml", source: "name: triage\nnodes: [é, 🦦]\n", location: "/flows/triage.yaml"
        )
        let swift = StoredWorkflow(hash: "sha-2", name: "count", versionLabel: nil, format: "swift", source: "{}")
        try await store.saveWorkflow(yaml)
        try await store.saveWorkflow(swift)
        try Expect.equal(try await store.workflow(hash: "sha-1"), yaml, "workflow sha-1")
        try Expect.equal(try await store.workflow(hash: "sha-2"), swift, "workflow sha-2 (no label, no location)")
        try Expect.equal(try await store.workflow(hash: "sha-unknown"), nil, "an unknown workflow")
        try await store.saveWorkflow(yaml)
        try Expect.equal(try await store.workflow(hash: "sha-1"), yaml, "workflow sha-1 saved twice")
    }

    /// Operations on a run that does not exist: reads are empty, writes throw `runNotFound`.
    public func unknownRunIsReported(_ store: any Store) async throws {
        let id = RunID.generate()
        let owner = Self.owner("a")
        try Expect.equal(try await store.run(id), nil, "run of an unknown id")
        try Expect.equal(try await store.events(run: id, after: 0, limit: 10), [], "events of an unknown run")
        try Expect.equal(try await store.stepResults(run: id, superstep: 0), [], "step results of an unknown run")
        try Expect.equal(try await store.effects(run: id, step: "0.0"), [:], "effects of an unknown run")
        try Expect.equal(try await store.checkpoints(run: id), [], "checkpoints of an unknown run")
        try Expect.equal(try await store.signals(run: id), [], "signals of an unknown run")
        let notFound: (StoreError) -> Bool = { $0 == .runNotFound(id) }
        try await Expect.storeError("acquireLease on an unknown run", matching: notFound) {
            try await store.acquireLease(run: id, owner: owner, duration: .seconds(30))
        }
        try await Expect.storeError("commit on an unknown run", matching: notFound) {
            try await store.commit(StepCommit(run: id, owner: owner, superstep: 0, events: [EventDraft(.stepStarted)]))
        }
        try await Expect.storeError("recordEffect on an unknown run", matching: notFound) {
            try await store.recordEffect(EffectRecord(run: id, step: "0.0", index: 0, name: "clock", value: 1, event: EventDraft(.effectRecorded)))
        }
        try await Expect.storeError("appendEvents on an unknown run", matching: notFound) {
            try await store.appendEvents(run: id, [EventDraft("operator.note")])
        }
        try await Expect.storeError("deliverSignal on an unknown run", matching: notFound) {
            try await store.deliverSignal(run: id, name: "go", payload: .null)
        }
        try await Expect.storeError("requestCancel on an unknown run", matching: notFound) {
            try await store.requestCancel(run: id, reason: "stop")
        }
        try await store.releaseLease(run: id, owner: owner)
    }
}
