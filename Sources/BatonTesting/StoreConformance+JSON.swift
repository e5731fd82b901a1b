import BatonCore

/// JSON values come back with the same canonical bytes wherever the store keeps them.
extension StoreConformance {
    /// Values that trip up storage: nesting, unicode and escapes, integers beyond 2^53, doubles
    /// that need every digit, nulls, empty containers.
    public static let awkwardJSON: JSON = [
        "nested": ["a": ["b": ["c": [1, [2, [3, ["deep": true]]]]]]],
        "unicode": "otters 🦦, Ünïcödé, 日本語, e\u{301}, \u{10FFFF}",
        "escapes": "quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7}",
        "ünïcödé key 🔑": "value",
        "": "empty key",
        "ints": [0, -1, .int(Int.max), .int(Int.min), 9_007_199_254_740_993, -9_007_199_254_740_993],
        "doubles": [0.1, -2.5, 3.141592653589793, 1e300, -1.7976931348623157e308, .double(.leastNonzeroMagnitude), 123456.789, 2.220446049250313e-16],
        "null": .null,
        "nulls": [.null, ["x": .null]],
        "bools": [true, false],
        "empty": ["array": [], "object": [:], "string": ""],
    ]

    /// The awkward value round-trips through every place a store keeps JSON.
    public func jsonRoundTripsExactly(_ store: any Store) async throws {
        let value = Self.awkwardJSON
        var run = Self.makeRun(input: ["payload": value, "topic": "otters"])
        run.checkpoint.state = ["payload": value]
        run.checkpoint.frontier = [TaskSpec(key: "0.0", node: "a", item: value, itemIndex: 0, origin: "fan")]
        try await Self.create(run, in: store, events: [EventDraft(.runStarted, value)])
        let a = Self.owner("a")
        _ = try await store.acquireLease(run: run.id, owner: a, duration: .seconds(30))
        try await store.recordEffect(EffectRecord(run: run.id, step: "0.0", index: 0, name: "model", value: value, event: EventDraft(.effectRecorded, value)))
        try await store.deliverSignal(run: run.id, name: "data", payload: value)
        let result = StepResult(key: "0.0", node: "a", status: .completed, output: value, writes: [StateWrite(key: "payload", value: value)])
        _ = try await store.commit(StepCommit(run: run.id, owner: a, superstep: 0, result: result, events: [EventDraft(.stepSucceeded, value)]))
        let stepResults = try await store.stepResults(run: run.id, superstep: 0)
        let next = Checkpoint(superstep: 1, state: ["payload": value, "more": value], frontier: [])
        _ = try await store.commit(StepCommit(
            run: run.id, owner: a, superstep: 0, events: [EventDraft(.runSucceeded)],
            advance: RunAdvance(checkpoint: next, writes: [StateWrite(key: "more", value: value)], status: .succeeded, output: value)
        ))

        guard let stored = try await store.run(run.id) else { throw ConformanceFailure("the run vanished") }
        try Expect.sameJSON(stored.input["payload"], value, "the run's input")
        try Expect.sameJSON(stored.output, value, "the run's output")
        try Expect.sameJSON(stored.checkpoint.state["more"], value, "the checkpoint's state")
        let history = try await store.checkpoints(run: run.id)
        try Expect.sameJSON(history.first?.frontier.first?.item, value, "a map item in the first checkpoint's frontier")
        try Expect.sameJSON(history.first?.writes.first?.value, value, "the first checkpoint's initial write")
        try Expect.sameJSON(history.last?.writes.first?.value, value, "the second checkpoint's write")
        try Expect.sameJSON(stepResults.first?.output, value, "a step result's output")
        try Expect.sameJSON(stepResults.first?.writes.first?.value, value, "a step result's write")
        try Expect.sameJSON(try await store.effects(run: run.id, step: "0.0")[0], value, "an effect's value")
        try Expect.sameJSON(try await store.signals(run: run.id).first?.payload, value, "a signal's payload")
        let events = try await Self.allEvents(store, run.id)
        for index in [0, 1, 3] {
            try Expect.sameJSON(events[index].data, value, "the data of event \(index + 1) (\(events[index].type))")
        }
        try Expect.intact(events, "with awkward JSON in every event")
    }
}
