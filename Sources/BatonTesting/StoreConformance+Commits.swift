import BatonCore

/// Committing steps: results, events, checkpoints and status in one transaction.
extension StoreConformance {
    /// Results are visible per superstep in commit order (a re-committed key keeps its place) until
    /// a checkpoint advance clears them; the advance moves the run and grows the checkpoint history.
    public func commitIsAtomicAndVisible(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(), in: store)
        let a = Self.owner("a")
        _ = try await store.acquireLease(run: run.id, owner: a, duration: .seconds(30))

        var second = Self.result("0.1", node: "b", output: ["n": 2], writes: [StateWrite(key: "count", value: 2)])
        second.spent = Spending(inputTokens: 40, outputTokens: 2, costUSD: 0.001, modelCalls: 1, toolCalls: 1)
        second.budgetScale = 1.5
        let receipt1 = try await store.commit(StepCommit(
            run: run.id, owner: a, superstep: 0, result: second,
            events: [EventDraft(.stepStarted, ["node": "b"]), EventDraft(.stepSucceeded, ["node": "b"])]
        ))
        try Expect.equal(receipt1, CommitReceipt(cancelRequested: false, lastSeq: 3), "the receipt of the first commit")
        try Expect.equal(try await store.stepResults(run: run.id, superstep: 0), [second], "step results after one commit")
        let unchanged = try await store.run(run.id)
        try Expect.equal(unchanged?.status, .pending, "a commit without an advance keeps the status")
        try Expect.equal(unchanged?.checkpoint, run.checkpoint, "a commit without an advance keeps the checkpoint")

        var first = Self.result("0.0", node: "a", output: ["n": 1], writes: [StateWrite(key: "count", value: 1)])
        _ = try await store.commit(StepCommit(run: run.id, owner: a, superstep: 0, result: first, events: [EventDraft(.stepSucceeded, ["node": "a"])]))
        first.attempts = 2
        first.output = ["n": 11]
        _ = try await store.commit(StepCommit(run: run.id, owner: a, superstep: 0, result: first, events: [EventDraft(.stepSucceeded, ["node": "a"])]))
        try Expect.equal(
            try await store.stepResults(run: run.id, superstep: 0), [second, first],
            "step results in commit order, a re-committed key replaced in its first place"
        )
        try Expect.equal(try await store.stepResults(run: run.id, superstep: 1), [], "step results of another superstep")

        let next = Checkpoint(
            superstep: 1, state: ["count": 3, "topic": "otters"], frontier: [TaskSpec(key: "1.0", node: "c")],
            visits: ["a": 1, "b": 1, "c": 1], joins: ["0": ["a"]], steps: 2,
            spent: Spending(inputTokens: 40, outputTokens: 2, costUSD: 0.001, modelCalls: 1, toolCalls: 1), unchangedSupersteps: 1, budgetScale: 1.5
        )
        let writes = [StateWrite(key: "count", value: 2), StateWrite(key: "count", value: 1)]
        let time = EventDraft.now() + 5
        let receipt2 = try await store.commit(StepCommit(
            run: run.id, owner: a, superstep: 0, events: [EventDraft(.superstepCompleted, ["superstep": 0], time: time)],
            advance: RunAdvance(checkpoint: next, writes: writes, status: .running)
        ))
        try Expect.equal(receipt2.lastSeq, 6, "lastSeq in the receipt of the advancing commit")
        try Expect.equal(try await store.stepResults(run: run.id, superstep: 0), [], "step results once their superstep's checkpoint committed")

        guard let advanced = try await store.run(run.id) else { throw ConformanceFailure("the run vanished") }
        try Expect.equal(advanced.checkpoint, next, "the run's checkpoint after an advance")
        try Expect.equal(advanced.status, .running, "the run's status after an advance")
        try Expect.equal(advanced.updatedAt, time, "updatedAt is the time of the commit's last event")
        try Expect.equal(advanced.lastSeq, 6, "lastSeq after four commits")

        let history = try await store.checkpoints(run: run.id)
        try Expect.equal(history.map(\.superstep), [0, 1], "checkpoint history supersteps")
        try Expect.equal(history.last?.writes, writes, "the new checkpoint record's writes")
        try Expect.equal(history.last?.frontier, next.frontier, "the new checkpoint record's frontier")
        try Expect.equal(history.last?.visits, next.visits, "the new checkpoint record's visits")
        try Expect.equal(history.last?.joins, next.joins, "the new checkpoint record's joins")
        try Expect.equal(history.last?.steps, 2, "the new checkpoint record's step count")
        try Expect.equal(history.last?.time, time, "the new checkpoint record's time")

        // The last task of a superstep commits its result, its events and the advance together.
        let last = Self.result("1.0", node: "c", output: "c", writes: [StateWrite(key: "count", value: 4)])
        let final = Checkpoint(superstep: 2, state: ["count": 7, "topic": "otters"], frontier: [], visits: next.visits, steps: 3)
        let receipt3 = try await store.commit(StepCommit(
            run: run.id, owner: a, superstep: 1, result: last,
            events: [EventDraft(.stepSucceeded, ["node": "c"]), EventDraft(.superstepCompleted, ["superstep": 1])],
            advance: RunAdvance(checkpoint: final, writes: last.writes, status: .running)
        ))
        try Expect.equal(receipt3.lastSeq, 8, "lastSeq after a result, two events and an advance in one commit")
        try Expect.equal(try await store.stepResults(run: run.id, superstep: 1), [], "step results of a superstep completed in the same commit")
        try Expect.equal(try await store.run(run.id)?.checkpoint, final, "the checkpoint after a result and an advance in one commit")
        try Expect.equal(try await store.checkpoints(run: run.id).map(\.superstep), [0, 1, 2], "checkpoint history supersteps after two advances")

        let events = try await Self.allEvents(store, run.id)
        try Expect.equal(
            events.map(\.type), [
                .runStarted, .stepStarted, .stepSucceeded, .stepSucceeded, .stepSucceeded, .superstepCompleted, .stepSucceeded,
                .superstepCompleted,
            ],
            "event types after five commits"
        )
        try Expect.intact(events, "after five commits")
    }

    /// Status, output, reason and waitingFor follow each advance; output and reason are kept when
    /// an advance does not name them; a commit with no advance leaves them alone; an advance that
    /// parks or ends the run releases its lease.
    public func commitAdvancesStatusOutputAndReason(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(), in: store)
        let a = Self.owner("a")
        _ = try await store.acquireLease(run: run.id, owner: a, duration: .seconds(30))
        func advance(_ advance: RunAdvance?, _ type: EventType) async throws -> RunRecord {
            _ = try await store.commit(StepCommit(run: run.id, owner: a, superstep: 0, events: [EventDraft(type)], advance: advance))
            guard let record = try await store.run(run.id) else { throw ConformanceFailure("the run vanished") }
            return record
        }

        let conditions = [WaitCondition(signal: "approve"), WaitCondition(deadline: 1_800_000_000_000), WaitCondition(child: "run_child")]
        var record = try await advance(RunAdvance(status: .waiting, waitingFor: conditions), .runWaiting)
        try Expect.equal(record.status, .waiting, "status after a waiting advance")
        try Expect.equal(record.waitingFor, conditions, "waitingFor after a waiting advance")
        try Expect.equal(record.leaseOwner, nil, "a waiting advance releases the lease")
        _ = try await store.acquireLease(run: run.id, owner: a, duration: .seconds(30))

        record = try await advance(nil, "operator.note")
        try Expect.equal(record.status, .waiting, "status after a commit without an advance")
        try Expect.equal(record.waitingFor, conditions, "waitingFor after a commit without an advance")

        record = try await advance(RunAdvance(status: .running), .runResumed)
        try Expect.equal(record.status, .running, "status after resuming")
        try Expect.equal(record.waitingFor, [], "waitingFor after resuming")

        record = try await advance(RunAdvance(status: .succeeded, output: ["answer": 42]), .runSucceeded)
        try Expect.equal(record.status, .succeeded, "status after succeeding")
        try Expect.sameJSON(record.output, ["answer": 42], "output after succeeding")
        try Expect.equal(record.reason, nil, "reason after succeeding")
        try Expect.equal(record.leaseOwner, nil, "a terminal advance releases the lease")
        _ = try await store.acquireLease(run: run.id, owner: a, duration: .seconds(30))

        record = try await advance(RunAdvance(status: .failed, reason: "late failure"), .runFailed)
        try Expect.equal(record.status, .failed, "status after failing")
        try Expect.sameJSON(record.output, ["answer": 42], "output kept by an advance that names none")
        try Expect.equal(record.reason, "late failure", "reason after failing")
        try Expect.equal(record.checkpoint, run.checkpoint, "an advance without a checkpoint keeps the checkpoint")
        try Expect.equal(try await store.checkpoints(run: run.id).count, 1, "advances without a checkpoint add no history")
        try Expect.intact(try await Self.allEvents(store, run.id), "after five commits")
    }
}
