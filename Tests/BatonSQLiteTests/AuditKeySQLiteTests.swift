import BatonCore
import Foundation
import GRDB
import Testing

@testable import BatonSQLite

/// An audit key on a real file: schema 5 keeps MACs beside the events and the head, stores of
/// older schemas keep verifying, a run begun without a key goes on with one, and a process
/// without the key cannot append to a run written with one.
@Suite struct AuditKeySQLiteTests {
    static let key = try! AuditKey(secret: "sqlite-audit-key-0123456789abcdef")

    /// Waits for a signal between two steps, so that a run can be continued by a later store.
    static func flow() throws -> Workflow {
        var flow = WorkflowBuilder("audited")
        flow.function("draft") { _ in ["draft": "v1"] }
        flow.node("hold", .wait(WaitSpec(signal: "approve")), into: "decision")
        flow.function("publish") { _ in ["published": true] }
        flow.edge("draft", "hold")
        flow.edge("hold", "publish")
        return try flow.build()
    }

    @Test(arguments: SQLiteStore.Durability.allCases)
    func aKeyedRunVerifiesWithItsKeyOnly(_ durability: SQLiteStore.Durability) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.file(), durability: durability, auditKey: Self.key)
        let engine = Engine(store: store)
        engine.register(try Self.flow())
        let parked = try await engine.run(try Self.flow())
        let finished = try await engine.signal(parked.id, name: "approve", payload: ["ok": true])
        #expect(finished.status == .succeeded)

        let trail = try await store.auditTrail(run: finished.id)
        #expect(trail.events.count > 4)
        #expect(trail.events.allSatisfy { $0.mac == Self.key.mac(event: $0.hash) })
        #expect(trail.verify(keys: [Self.key]) == .intact(events: trail.events.count, authentication: .verified(from: 1, key: 0)))
        #expect(trail.verify() == .intact(events: trail.events.count, authentication: .unchecked(from: 1)))
        let columns = try await store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE mac IS NULL") ?? -1
        }
        #expect(columns == 0)
    }

    @Test func aProcessWithoutTheKeyCannotAppendToAKeyedRun() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        let parked = try await Engine(store: try SQLiteStore(path: path, auditKey: Self.key)).run(try Self.flow())
        #expect(parked.status == .waiting)

        let unkeyed = try SQLiteStore(path: path)
        await #expect(throws: StoreError.auditKeyRequired(parked.id)) {
            try await unkeyed.appendEvents(run: parked.id, [EventDraft("operator.note")])
        }
        await #expect(throws: StoreError.auditKeyRequired(parked.id)) {
            try await unkeyed.deliverSignal(run: parked.id, name: "approve", payload: ["ok": true])
        }
        await #expect(throws: StoreError.auditKeyRequired(parked.id)) {
            try await unkeyed.requestCancel(run: parked.id, reason: "stop")
        }
        #expect(StoreError.auditKeyRequired(parked.id).description.contains("set BATON_AUDIT_KEY"))
        let trail = try await unkeyed.auditTrail(run: parked.id)
        #expect(trail.verify(keys: [Self.key]) == .intact(events: trail.events.count, authentication: .verified(from: 1, key: 0)), "nothing was written")
        #expect(try await unkeyed.signals(run: parked.id).isEmpty, "a refused signal leaves no row either")

        // Reading, and leases (which do not move the head), need no key.
        let owner = LeaseOwner.current()
        _ = try await unkeyed.acquireLease(run: parked.id, owner: owner, duration: .seconds(30))
        _ = try await unkeyed.commit(StepCommit(run: parked.id, owner: owner, superstep: 1, events: [], advance: RunAdvance(status: .waiting)))
        #expect(try await unkeyed.auditTrail(run: parked.id).verify(keys: [Self.key]).isIntact, "a commit without events keeps the head's MAC")
    }

    @Test func aSchema4StoreMigratesInPlaceAndItsRunsGoOnKeyed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("old.sqlite")
        let parked = try await Engine(store: try SQLiteStore(path: path)).run(try Self.flow())
        #expect(parked.status == .waiting)
        let before = try await SQLiteStore(path: path).auditTrail(run: parked.id)

        // Take the file back to schema 4, as a build before this one left it.
        let raw = try DatabaseQueue(path: path)
        try await raw.write { db in
            try db.execute(sql: """
                ALTER TABLE events DROP COLUMN mac;
                ALTER TABLE runs DROP COLUMN head_mac;
                DELETE FROM grdb_migrations WHERE identifier = 'v5 audit MACs';
                PRAGMA user_version = 4;
                """)
        }
        try raw.close()

        let store = try SQLiteStore(path: path, auditKey: Self.key)
        #expect(try await store.pool.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == 5)
        let migrated = try await store.auditTrail(run: parked.id)
        #expect(migrated == before)
        #expect(migrated.verify(keys: [Self.key]) == .intact(events: before.events.count, authentication: .none))
        #expect(migrated.verify(keys: [Self.key]).description.contains("written without an audit key"))

        let engine = Engine(store: store)
        engine.register(try Self.flow())
        let finished = try await engine.signal(parked.id, name: "approve", payload: ["ok": true])
        #expect(finished.status == .succeeded)
        let after = try await store.auditTrail(run: parked.id)
        let first = before.events.count + 1
        #expect(after.verify(keys: [Self.key]) == .intact(events: after.events.count, authentication: .verified(from: first, key: 0)))
        #expect(after.events[..<before.events.count].allSatisfy { $0.mac == nil })
        #expect(after.events[before.events.count...].allSatisfy { $0.mac != nil })
    }
}
