import BatonCore
import Foundation
import GRDB
import Testing

@testable import BatonSQLite

/// Group commit: concurrent commits of many runs share transactions, and each stays all-or-nothing.
@Suite struct BatchedCommitTests {
    static func makeRun(_ store: SQLiteStore, owner: LeaseOwner) async throws -> RunID {
        let id = RunID.generate()
        try await store.createRun(
            RunRecord(id: id, workflowName: "batch", workflowHash: "h", status: .pending, input: [:],
                      checkpoint: Checkpoint(superstep: 0, state: ["n": 0], frontier: [TaskSpec(key: "0.0", node: "a")]),
                      createdAt: EventDraft.now(), updatedAt: EventDraft.now()),
            events: [EventDraft(.runStarted)]
        )
        _ = try await store.acquireLease(run: id, owner: owner, duration: .seconds(60))
        return id
    }

    static func step(_ id: RunID, _ owner: LeaseOwner, _ index: Int) -> StepCommit {
        StepCommit(
            run: id, owner: owner, superstep: index,
            result: StepResult(key: "\(index).0", node: "a", status: .completed, output: ["i": .int(index)]),
            events: [EventDraft(.stepStarted, ["i": .int(index)]), EventDraft(.stepSucceeded, ["i": .int(index)])],
            advance: RunAdvance(
                checkpoint: Checkpoint(superstep: index + 1, state: ["n": .int(index + 1)], frontier: [TaskSpec(key: "\(index + 1).0", node: "a")]),
                writes: [StateWrite(key: "n", value: .int(index + 1))], status: .running
            )
        )
    }

    @Test func concurrentCommitsOfEightRunsAllLandWithIntactChains() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.file(), durability: .batched)
        let owner = LeaseOwner.current()
        var ids: [RunID] = []
        for _ in 0..<8 { ids.append(try await Self.makeRun(store, owner: owner)) }
        let steps = 25

        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask {
                    for index in 0..<steps {
                        let receipt = try await store.commit(Self.step(id, owner, index))
                        #expect(receipt.lastSeq == 1 + 2 * (index + 1))
                    }
                }
            }
            try await group.waitForAll()
        }

        for id in ids {
            let events = try await store.events(run: id, after: 0, limit: 1_000)
            #expect(events.count == 1 + 2 * steps)
            #expect(EventChain.verify(events) == .intact(events: events.count, authentication: .none))
            let run = try await store.run(id)
            #expect(run?.checkpoint.superstep == steps)
            #expect(run?.checkpoint.state["n"] == .int(steps))
            #expect(try await store.checkpoints(run: id).count == steps + 1)
        }
        let statistics = try #require(store.batcher?.statistics)
        #expect(statistics.commits == 8 * steps)
        print("batched: \(statistics.commits) commits in \(statistics.batches) transactions")
    }

    @Test func aCommitThatLostItsLeaseFailsAloneInItsBatch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.file(), durability: .batched)
        let owner = LeaseOwner.current()
        var created: [RunID] = []
        for _ in 0..<4 { created.append(try await Self.makeRun(store, owner: owner)) }
        let ids = created
        let stranger = LeaseOwner(id: "stranger", host: owner.host, pid: owner.pid)

        // Hold the writer so that every commit below queues up into one batch.
        let gate = DispatchSemaphore(value: 0)
        store.pool.asyncWriteWithoutTransaction { _ in gate.wait() }
        let before = try #require(store.batcher?.statistics)

        async let good0 = store.commit(Self.step(ids[0], owner, 0))
        async let good1 = store.commit(Self.step(ids[1], owner, 0))
        async let bad = Result(catching: { try await store.commit(Self.step(ids[2], stranger, 0)) })
        async let good3 = store.commit(Self.step(ids[3], owner, 0))
        try await Task.sleep(for: .milliseconds(200))
        gate.signal()

        #expect(try await good0.lastSeq == 3)
        #expect(try await good1.lastSeq == 3)
        #expect(try await good3.lastSeq == 3)
        let failure = await bad
        #expect(throws: StoreError.leaseLost(ids[2])) { try failure.get() }

        let after = try #require(store.batcher?.statistics)
        #expect(after.batches - before.batches == 1, "the four commits shared one transaction")
        #expect(after.commits - before.commits == 4)
        #expect(try await store.events(run: ids[2], after: 0, limit: 10).count == 1, "the refused commit left nothing")
        #expect(try await store.run(ids[2])?.checkpoint.superstep == 0)
        #expect(try await store.stepResults(run: ids[2], superstep: 0) == [])
        for id in [ids[0], ids[1], ids[3]] {
            #expect(try await store.run(id)?.checkpoint.superstep == 1)
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
