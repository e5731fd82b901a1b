import BatonCore

/// Signals and cancellation: what other parties write to a run while it waits or runs.
extension StoreConformance {
    /// Signals are kept per run in delivery order, each with a `signal.received` event, until a
    /// commit consumes them.
    public func signalsDeliveredListedAndConsumed(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(status: .waiting, waitingFor: [WaitCondition(signal: "go")]), in: store)
        let other = try await Self.create(Self.makeRun(), in: store)
        let before = EventDraft.now()
        try await store.deliverSignal(run: run.id, name: "go", payload: ["by": "ana"])
        try await store.deliverSignal(run: other.id, name: "go", payload: "elsewhere")
        try await store.deliverSignal(run: run.id, name: "other", payload: .null)
        try await store.deliverSignal(run: run.id, name: "go", payload: [1, 2, 3])

        let signals = try await store.signals(run: run.id)
        try Expect.equal(signals.map(\.name), ["go", "other", "go"], "signal names in delivery order")
        try Expect.equal(signals.map(\.payload.canonicalString), [#"{"by":"ana"}"#, "null", "[1,2,3]"], "signal payloads")
        try Expect.that(signals.allSatisfy { $0.run == run.id }, "every signal names its run")
        try Expect.that(signals.allSatisfy { $0.time >= before && $0.time <= EventDraft.now() }, "signal times are the delivery times")
        try Expect.equal(Set(signals.map(\.id)).count, 3, "signal ids are distinct")
        try Expect.equal(signals.map(\.id), signals.map(\.id).sorted(), "signal ids grow in delivery order")

        let events = try await Self.allEvents(store, run.id)
        try Expect.equal(events.map(\.type), [.runStarted, .signalReceived, .signalReceived, .signalReceived], "one event per signal")
        try Expect.equal(events.map(\.time).dropFirst().map { $0 }, signals.map(\.time), "signal event times")
        try Expect.intact(events, "after delivering signals")
        try Expect.equal(try await store.run(run.id)?.status, .waiting, "delivering a signal does not change the status")

        let a = Self.owner("a")
        _ = try await store.acquireLease(run: run.id, owner: a, duration: .seconds(30))
        _ = try await store.commit(StepCommit(
            run: run.id, owner: a, superstep: 0, result: Self.result("0.0", node: "a", output: ["by": "ana"]),
            events: [EventDraft(.stepSucceeded)], consumedSignals: [signals[0].id, signals[2].id]
        ))
        try Expect.equal(try await store.signals(run: run.id), [signals[1]], "signals left after a commit consumed two")
        try Expect.equal(try await store.signals(run: other.id).map(\.payload.canonicalString), [#""elsewhere""#], "another run's signals")
    }

    /// Cancelling a run that no live owner executes cancels it at once, with both events.
    public func cancelUnleasedRunAtOnce(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(status: .waiting, waitingFor: [WaitCondition(signal: "approve")]), in: store)
        let before = EventDraft.now()
        let cancelled = try await store.requestCancel(run: run.id, reason: "no longer needed")
        try Expect.equal(cancelled.status, .cancelled, "status after cancelling a waiting, unleased run")
        try Expect.equal(cancelled.reason, "no longer needed", "reason after cancelling")
        try Expect.equal(cancelled.cancelRequested, true, "cancelRequested after cancelling")
        try Expect.equal(cancelled.waitingFor, [], "waitingFor after cancelling")
        try Expect.that(cancelled.updatedAt >= before, "updatedAt moves on when a run is cancelled")
        try Expect.equal(try await store.run(run.id), cancelled, "the stored run equals the record requestCancel returned")
        let events = try await Self.allEvents(store, run.id)
        try Expect.equal(events.map(\.type), [.runStarted, .runCancelRequested, .runCancelled], "events after cancelling")
        try Expect.sameJSON(events.last?.data, ["reason": "no longer needed"], "the run.cancelled event's data")
        try Expect.intact(events, "after cancelling")

        // A lease that has expired does not protect the run either.
        let expired = try await Self.create(Self.makeRun(), in: store)
        _ = try await store.acquireLease(run: expired.id, owner: Self.owner("a"), duration: .milliseconds(10))
        try await Task.sleep(for: .milliseconds(50))
        try Expect.equal(try await store.requestCancel(run: expired.id, reason: "stop").status, .cancelled, "status after cancelling a run whose lease expired")
    }

    /// Cancelling a run that a live owner executes only flags it; the owner's next commit learns it.
    public func cancelLeasedRunOnlyFlags(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(), in: store)
        let a = Self.owner("a")
        _ = try await store.acquireLease(run: run.id, owner: a, duration: .seconds(30))
        let receipt = try await store.commit(StepCommit(run: run.id, owner: a, superstep: 0, events: [EventDraft(.runResumed)], advance: RunAdvance(status: .running)))
        try Expect.equal(receipt.cancelRequested, false, "cancelRequested in a receipt before any request")

        let flagged = try await store.requestCancel(run: run.id, reason: "operator stop")
        try Expect.equal(flagged.status, .running, "status right after a cancel request on a leased run")
        try Expect.equal(flagged.cancelRequested, true, "cancelRequested after a request on a leased run")
        try Expect.equal(flagged.leaseOwner, a, "the lease is untouched by a cancel request")
        try Expect.equal(try await Self.allEvents(store, run.id).map(\.type), [.runStarted, .runResumed, .runCancelRequested], "events after the request")

        let next = try await store.commit(StepCommit(run: run.id, owner: a, superstep: 0, events: [EventDraft(.stepSucceeded)]))
        try Expect.equal(next, CommitReceipt(cancelRequested: true, lastSeq: 4), "the receipt of the next commit")
        _ = try await store.commit(StepCommit(
            run: run.id, owner: a, superstep: 0, events: [EventDraft(.runCancelled, ["reason": "operator stop"])],
            advance: RunAdvance(status: .cancelled, reason: "operator stop")
        ))
        let final = try await store.run(run.id)
        try Expect.equal(final?.status, .cancelled, "status once the owner stopped")
        try Expect.intact(try await Self.allEvents(store, run.id), "after a flagged cancel")
    }

    /// A finished run ignores cancel requests: no flag, no events.
    public func cancelTerminalRunUnchanged(_ store: any Store) async throws {
        for status in RunStatus.allCases where status.isTerminal {
            var run = Self.makeRun(status: status)
            run.output = ["done": true]
            let stored = try await Self.create(run, in: store)
            let returned = try await store.requestCancel(run: run.id, reason: "too late")
            try Expect.equal(returned, stored, "the record requestCancel returns for a \(status) run")
            try Expect.equal(try await store.run(run.id), stored, "a \(status) run after a cancel request")
            try Expect.equal(try await Self.allEvents(store, run.id).count, 1, "events of a \(status) run after a cancel request")
        }
    }
}
