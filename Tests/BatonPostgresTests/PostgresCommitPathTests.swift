import BatonCore
import BatonPostgres
import Foundation
import Testing

/// A store commits a run it keeps committing to in one statement, from the journal's end as its
/// last commit left it; when the row has moved on since (another writer appended, the lease
/// changed hands) it takes the locking path, and the journal stays one chain.
@Suite(.enabled(if: PostgresTestServer.isAvailable, "needs PostgreSQL: BATON_TEST_POSTGRES_URL (scripts/test.sh starts one)"))
struct PostgresCommitPathTests {
    static func step(_ run: RunID, _ owner: LeaseOwner, superstep: Int, status: RunStatus = .running) -> StepCommit {
        let checkpoint = Checkpoint(superstep: superstep + 1, state: ["count": .int(superstep + 1)], frontier: [TaskSpec(key: "\(superstep + 1).0", node: "a")], visits: [:])
        return StepCommit(
            run: run, owner: owner, superstep: superstep,
            result: StepResult(key: "\(superstep).0", node: "a", status: .completed, output: .int(superstep)),
            events: [EventDraft(.stepSucceeded, ["superstep": .int(superstep)], time: EventDraft.now())],
            advance: RunAdvance(checkpoint: checkpoint, status: status)
        )
    }

    static func newRun() -> RunRecord {
        let now = EventDraft.now()
        return RunRecord(
            id: RunID.generate(), workflowName: "commit-paths", workflowHash: "hash-commit-paths", status: .pending, input: [:],
            checkpoint: Checkpoint(superstep: 0, state: ["count": 0], frontier: [TaskSpec(key: "0.0", node: "a")], visits: [:]),
            createdAt: now, updatedAt: now
        )
    }

    @Test func aCommitAfterAnotherWriterKeepsTheChain() async throws {
        try await PostgresTestServer.withStore { store in
            let other = try await PostgresStore(location: store.location, connections: 1, operationTimeout: PostgresTestServer.operationTimeout)
            defer { other.close() }
            let owner = LeaseOwner(id: "owner-\(UUID())", host: ProcessInfo.processInfo.hostName, pid: ProcessInfo.processInfo.processIdentifier)
            let record = Self.newRun()
            try await store.createRun(record, events: [EventDraft(.runStarted, [:], time: EventDraft.now())])
            _ = try await store.acquireLease(run: record.id, owner: owner, duration: .seconds(60))

            _ = try await store.commit(Self.step(record.id, owner, superstep: 0))
            _ = try await store.commit(Self.step(record.id, owner, superstep: 1))
            // Another process appends to the journal: the first store's idea of its end is stale.
            try await other.appendEvents(run: record.id, [EventDraft(.signalReceived, ["name": "poke"], time: EventDraft.now())])
            let third = try await store.commit(Self.step(record.id, owner, superstep: 2))
            _ = try await store.commit(Self.step(record.id, owner, superstep: 3, status: .succeeded))

            let trail = try await other.auditTrail(run: record.id)
            #expect(EventChain.verify(trail.events, head: trail.head).isIntact)
            #expect(trail.events.map(\.type) == [.runStarted, .stepSucceeded, .stepSucceeded, .signalReceived, .stepSucceeded, .stepSucceeded])
            #expect(third.lastSeq == 5)
            #expect(store.commitPaths == (oneStatement: 3, locking: 1), "only the commit after the other writer's append locks the row")
            let finished = try #require(try await other.run(record.id))
            #expect(finished.status == .succeeded)
            #expect(finished.checkpoint.superstep == 4)
            #expect(finished.leaseOwner == nil, "a terminal commit releases the lease")
        }
    }

    @Test func aCommitAfterTheLeaseChangedHandsIsRefused() async throws {
        try await PostgresTestServer.withStore { store in
            let other = try await PostgresStore(location: store.location, connections: 1, operationTimeout: PostgresTestServer.operationTimeout)
            defer { other.close() }
            let first = LeaseOwner(id: "first-\(UUID())", host: "remote-a.invalid", pid: 1)
            let second = LeaseOwner(id: "second-\(UUID())", host: "remote-b.invalid", pid: 2)
            let record = Self.newRun()
            try await store.createRun(record, events: [EventDraft(.runStarted, [:], time: EventDraft.now())])
            _ = try await store.acquireLease(run: record.id, owner: first, duration: .milliseconds(200))
            _ = try await store.commit(Self.step(record.id, first, superstep: 0))
            try await Task.sleep(for: .milliseconds(400))
            _ = try await other.acquireLease(run: record.id, owner: second, duration: .seconds(60))
            _ = try await other.commit(Self.step(record.id, second, superstep: 1))

            await #expect(throws: StoreError.leaseLost(record.id)) {
                _ = try await store.commit(Self.step(record.id, first, superstep: 2))
            }
            let trail = try await other.auditTrail(run: record.id)
            #expect(EventChain.verify(trail.events, head: trail.head).isIntact)
            #expect(trail.events.count == 3)
        }
    }
}
