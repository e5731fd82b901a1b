import BatonCore

/// The journal: one numbered, hash-chained sequence per run, whoever writes to it.
extension StoreConformance {
    /// createRun, commit, recordEffect, appendEvents, deliverSignal and requestCancel all chain on
    /// the same sequence: numbered 1...n, every hash verified, lastSeq and lastHash following.
    public func eventsChainAcrossEveryWriter(_ store: any Store) async throws {
        let run = Self.makeRun()
        try await Self.create(run, in: store, events: [EventDraft(.runStarted), EventDraft("run.note", ["n": 1])])
        let other = try await Self.create(Self.makeRun(), in: store)
        let a = Self.owner("a")
        _ = try await store.acquireLease(run: run.id, owner: a, duration: .seconds(30))
        _ = try await store.commit(StepCommit(run: run.id, owner: a, superstep: 0, events: [EventDraft(.stepStarted), EventDraft(.stepSucceeded)]))
        try await store.recordEffect(EffectRecord(
            run: run.id, step: "0.0", index: 0, name: "clock", value: 1_700_000_000_000, event: EventDraft(.effectRecorded, ["name": "clock"])
        ))
        try await store.appendEvents(run: run.id, [EventDraft("operator.note", ["text": "looks fine"]), EventDraft("operator.note")])
        try await store.appendEvents(run: run.id, [])
        try await store.deliverSignal(run: run.id, name: "go", payload: ["ok": true])
        let cancelled = try await store.requestCancel(run: run.id, reason: "enough")
        _ = try await store.commit(StepCommit(run: run.id, owner: a, superstep: 0, events: [EventDraft(.runCancelled)], advance: RunAdvance(status: .cancelled)))

        let events = try await Self.allEvents(store, run.id)
        try Expect.equal(events.map(\.seq), Array(1...10), "event numbers")
        try Expect.equal(events.map(\.type.rawValue), [
            "run.started", "run.note", "step.started", "step.succeeded", "effect.recorded", "operator.note", "operator.note",
            "signal.received", "run.cancel_requested", "run.cancelled",
        ], "event types in the order written")
        try Expect.intact(events, "across every writer")
        try Expect.that(events.allSatisfy { $0.run == run.id }, "every event names its run")
        try Expect.equal(cancelled.lastSeq, 9, "lastSeq in the record requestCancel returns")
        try Expect.equal(cancelled.lastHash, events[8].hash, "lastHash in the record requestCancel returns")
        let signal = events[7]
        try Expect.sameJSON(signal.data, ["name": "go", "payload": ["ok": true]], "the signal.received event's data")
        try Expect.sameJSON(events[8].data, ["reason": "enough"], "the run.cancel_requested event's data")

        guard let stored = try await store.run(run.id) else { throw ConformanceFailure("the run vanished") }
        try Expect.equal(stored.lastSeq, 10, "the run's lastSeq")
        try Expect.equal(stored.lastHash, events.last?.hash, "the run's lastHash")
        let otherEvents = try await Self.allEvents(store, other.id)
        try Expect.equal(otherEvents.map(\.seq), [1], "another run's journal is its own")
        try Expect.intact(otherEvents, "another run's journal")
    }

    /// `events(after:limit:)` pages through the journal in order; pages join into the whole chain.
    public func eventsPaging(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(), in: store)
        let base = EventDraft.now()
        let drafts = (1...24).map { EventDraft("page.item", ["i": .int($0), "label": .string("item \($0)")], time: base + Int64($0)) }
        try await store.appendEvents(run: run.id, Array(drafts[..<10]))
        try await store.appendEvents(run: run.id, Array(drafts[10...]))

        let first = try await store.events(run: run.id, after: 0, limit: 10)
        let second = try await store.events(run: run.id, after: 10, limit: 10)
        let third = try await store.events(run: run.id, after: 20, limit: 10)
        try Expect.equal(first.map(\.seq), Array(1...10), "page 1")
        try Expect.equal(second.map(\.seq), Array(11...20), "page 2")
        try Expect.equal(third.map(\.seq), Array(21...25), "page 3 (short)")
        try Expect.equal(try await store.events(run: run.id, after: 25, limit: 10), [], "the page after the last event")
        try Expect.equal(try await store.events(run: run.id, after: 1_000, limit: 10), [], "a page far past the end")
        try Expect.equal(try await store.events(run: run.id, after: 3, limit: 2).map(\.seq), [4, 5], "a page in the middle")
        try Expect.intact(first + second + third, "the pages joined")

        let item = second[4]
        try Expect.equal(item.type, "page.item", "an event's type")
        try Expect.equal(item.time, base + 14, "an event's time")
        try Expect.sameJSON(item.data, ["i": 14, "label": "item 14"], "an event's data")
    }

    /// Effects are journaled by step and index, each with its event; other steps are apart.
    public func effectsRecordedByStepAndIndex(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(), in: store)
        let values: [(String, Int, JSON)] = [
            ("0.0", 0, ["reply": "hello", "tokens": 12]), ("0.0", 1, 0.25), ("0.1", 0, "tool result"), ("0.0", 2, .null),
        ]
        for (step, index, value) in values {
            try await store.recordEffect(EffectRecord(
                run: run.id, step: step, index: index, name: "model", value: value,
                event: EventDraft(.effectRecorded, ["step": .string(step), "index": .int(index)])
            ))
        }
        let step0 = try await store.effects(run: run.id, step: "0.0")
        try Expect.equal(step0.keys.sorted(), [0, 1, 2], "effect indexes of step 0.0")
        try Expect.sameJSON(step0[0], ["reply": "hello", "tokens": 12], "effect 0.0#0")
        try Expect.sameJSON(step0[1], 0.25, "effect 0.0#1")
        try Expect.sameJSON(step0[2], .null, "effect 0.0#2 (a null result)")
        try Expect.equal(try await store.effects(run: run.id, step: "0.1").mapValues(\.canonicalString), [0: "\"tool result\""], "effects of step 0.1")
        try Expect.equal(try await store.effects(run: run.id, step: "9.9"), [:], "effects of a step with none")

        let events = try await Self.allEvents(store, run.id)
        try Expect.equal(events.map(\.type), [.runStarted] + Array(repeating: .effectRecorded, count: 4), "one event per effect")
        try Expect.intact(events, "after recording effects")
        try Expect.equal(try await store.run(run.id)?.lastSeq, 5, "lastSeq after recording effects")
    }
}
