import BatonCore
import Foundation
import GRDB
import Testing

@testable import BatonSQLite

/// Schema 3 keeps each checkpoint's history record in the row of the event its commit wrote
/// last; the records of stores written before it stay in the `checkpoints` table. A run that
/// began on an older store reads back one history, in superstep order, and goes on.
@Suite struct CheckpointHistoryMigrationTests {
    static func flow() throws -> Workflow {
        var flow = WorkflowBuilder("approval")
        flow.function("draft") { _ in ["draft": "v1"] }
        flow.node("hold", .wait(WaitSpec(signal: "approve")), into: "decision")
        flow.function("publish") { ctx in ["published": ctx.state["decision"]?["ok"] ?? false] }
        flow.edge("draft", "hold")
        flow.edge("hold", "publish")
        return try flow.build()
    }

    @Test func aNewStoreKeepsTheHistoryInTheEventsAndNothingInTheOldTable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.file())
        let result = try await Engine(store: store).run(try Self.flow())
        #expect(result.status == .waiting)
        #expect(try await store.checkpoints(run: result.id).map(\.superstep) == [0, 1])
        let (carried, legacy) = try await store.pool.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE checkpoint IS NOT NULL") ?? -1,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM checkpoints") ?? -1
            )
        }
        #expect(carried == 2)
        #expect(legacy == 0)
    }

    @Test func aRunBegunOnASchema2StoreKeepsItsWholeHistoryAndFinishes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("old.sqlite")
        let parked = try await Engine(store: try SQLiteStore(path: path)).run(try Self.flow())
        #expect(parked.status == .waiting)

        // Take the file back to schema 2, as a build before this one left it: the history
        // records in their own table, the events without the column.
        let raw = try DatabaseQueue(path: path)
        try await raw.write { db in
            try db.execute(sql: """
                INSERT INTO checkpoints (run, n, superstep, time, record)
                    SELECT run, row_number() OVER (PARTITION BY run ORDER BY seq), json_extract(checkpoint, '$.superstep'), time, checkpoint
                    FROM events WHERE checkpoint IS NOT NULL;
                DROP TRIGGER events_no_update;
                UPDATE events SET checkpoint = NULL;
                ALTER TABLE events DROP COLUMN checkpoint;
                CREATE TRIGGER events_no_update BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'the event journal is append-only'); END;
                DELETE FROM grdb_migrations WHERE identifier = 'v3 checkpoint history beside its events';
                PRAGMA user_version = 2;
                """)
        }
        try raw.close()

        let store = try SQLiteStore(path: path)
        #expect(try await store.pool.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == 3)
        #expect(try await store.checkpoints(run: parked.id).map(\.superstep) == [0, 1])
        let engine = Engine(store: store)
        engine.register(try Self.flow())
        let finished = try await engine.signal(parked.id, name: "approve", payload: ["ok": true])
        #expect(finished.status == .succeeded)

        // Two records from the old table, the rest from the events, in order.
        let history = try await store.checkpoints(run: parked.id)
        #expect(history.map(\.superstep) == [0, 1, 2, 3])
        #expect(history[0].writes.isEmpty)
        #expect(history[1].writes == [StateWrite(key: "draft", value: "v1")])
        #expect(history[3].writes == [StateWrite(key: "published", value: true)])
        let events = try await store.events(run: parked.id, after: 0, limit: 1_000)
        #expect(EventChain.verify(events) == .intact(events: events.count, authentication: .none))

        // Time travel reads the merged history: a fork from the checkpoint written before the migration.
        let fork = try await engine.fork(parked.id, at: 1, edits: ["draft": "v2"])
        try await engine.signal(fork, name: "approve", payload: ["ok": false])
        let forked = try await engine.resume(fork)
        #expect(forked.status == .succeeded)
        #expect(forked.output?["draft"] == "v2")
        #expect(forked.output?["published"] == false)
    }

    @Test func aCommitWithoutEventsKeepsItsRecordInTheOldTable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.file())
        let owner = LeaseOwner.current()
        let id = RunID("quiet")
        var run = RunRecord(
            id: id, workflowName: "w", workflowHash: "h", status: .running, input: [:],
            checkpoint: Checkpoint(superstep: 0, state: [:], frontier: [TaskSpec(key: "0.0", node: "a")]), createdAt: 1, updatedAt: 1
        )
        run.leaseOwner = owner
        run.leaseExpiresAt = EventDraft.now() + 60_000
        try await store.createRun(run, events: [])
        let next = Checkpoint(superstep: 1, state: ["x": 1], frontier: [], visits: ["a": 1], steps: 1)
        _ = try await store.commit(StepCommit(
            run: id, owner: owner, superstep: 0, result: StepResult(key: "0.0", node: "a", status: .completed, writes: [StateWrite(key: "x", value: 1)]),
            advance: RunAdvance(checkpoint: next, writes: [StateWrite(key: "x", value: 1)], status: .succeeded)
        ))
        let history = try await store.checkpoints(run: id)
        #expect(history.map(\.superstep) == [0, 1])
        #expect(history[1].writes == [StateWrite(key: "x", value: 1)])
        #expect(try await store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM checkpoints") } == 2)
        #expect(try await store.run(id)?.status == .succeeded)
    }
}
