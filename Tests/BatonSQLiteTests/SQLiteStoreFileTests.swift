import BatonCore
import Foundation
import GRDB
import Testing

@testable import BatonSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The store file: what survives a reopen, and what happens with files that are not ours,
/// are too new, cannot be written, or are locked.
@Suite struct SQLiteStoreFileTests {
    @Test func defaultPathIsInTheProjectsBatonDirectory() {
        #expect(SQLiteStore.defaultPath(in: "/projects/otters") == "/projects/otters/.baton/baton.sqlite")
    }

    @Test func createsParentDirectoriesAndUsesWALWithTheModesSynchronousSetting() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (durability, expected) in [(SQLiteStore.Durability.full, 2), (.normal, 1), (.batched, 2)] {
            let path = SQLiteStore.defaultPath(in: directory.file("project-\(durability)"))
            let store = try SQLiteStore(path: path, durability: durability)
            #expect(FileManager.default.fileExists(atPath: path))
            let (journal, synchronous, version) = try await store.pool.write { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                 try Int.fetchOne(db, sql: "PRAGMA user_version"))
            }
            #expect(journal == "wal")
            #expect(synchronous == expected, "synchronous for \(durability)")
            #expect(version == SQLiteStore.schemaVersion)
        }
    }

    @Test func everythingSurvivesCloseAndReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        let id = RunID.generate()
        let owner = LeaseOwner.current()
        var store: SQLiteStore? = try SQLiteStore(path: path)
        let checkpoint = Checkpoint(superstep: 0, state: ["n": 0], frontier: [TaskSpec(key: "0.0", node: "a")])
        try await store!.saveWorkflow(StoredWorkflow(hash: "h1", name: "wf", versionLabel: "1", format: "yaml", source: "name: wf"))
        try await store!.createRun(
            RunRecord(id: id, workflowName: "wf", workflowHash: "h1", status: .pending, input: ["q": "🦦"], checkpoint: checkpoint,
                      createdAt: EventDraft.now(), updatedAt: EventDraft.now()),
            events: [EventDraft(.runStarted)]
        )
        _ = try await store!.acquireLease(run: id, owner: owner, duration: .seconds(30))
        try await store!.recordEffect(EffectRecord(run: id, step: "0.0", index: 0, name: "model", value: ["text": "hi"], event: EventDraft(.effectRecorded)))
        try await store!.deliverSignal(run: id, name: "go", payload: 1)
        _ = try await store!.commit(StepCommit(
            run: id, owner: owner, superstep: 0, result: StepResult(key: "0.0", node: "a", status: .completed, output: 1),
            events: [EventDraft(.stepSucceeded)],
            advance: RunAdvance(checkpoint: Checkpoint(superstep: 1, state: ["n": 1], frontier: []), writes: [StateWrite(key: "n", value: 1)], status: .waiting,
                                waitingFor: [WaitCondition(signal: "more")])
        ))
        let run = try await store!.run(id)
        let events = try await store!.events(run: id, after: 0, limit: 100)
        let checkpoints = try await store!.checkpoints(run: id)
        let signals = try await store!.signals(run: id)
        try store!.close()
        store = nil

        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.run(id) == run)
        #expect(try await reopened.events(run: id, after: 0, limit: 100) == events)
        #expect(EventChain.verify(events) == .intact(events: 4, authentication: .none))
        #expect(try await reopened.checkpoints(run: id) == checkpoints)
        #expect(try await reopened.signals(run: id) == signals)
        #expect(try await reopened.effects(run: id, step: "0.0") == [0: ["text": "hi"]])
        #expect(try await reopened.workflow(hash: "h1")?.source == "name: wf")
        #expect(run?.status == .waiting)
        #expect(checkpoints.count == 2)
    }

    @Test func aClosedStoreThrowsUnavailable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.file())
        try store.close()
        await #expect {
            try await store.run("run_x")
        } throws: { error in
            if case .unavailable = error as? StoreError { return true } else { return false }
        }
    }

    @Test func aFileThatIsNotADatabaseIsCorruptedAndLeftAsItWas() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect {
            try SQLiteStore(path: path)
        } throws: { error in
            if case .corrupted = error as? StoreError { return true } else { return false }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func aNewerSchemaIsRefusedAndLeftAsItWas() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        try SQLiteStore(path: path).close()
        let raw = try DatabaseQueue(path: path)
        try raw.writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 99") }
        try raw.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: StoreError.schemaTooNew(found: 99, supported: SQLiteStore.schemaVersion)) {
            try SQLiteStore(path: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aPathBelowAFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let blocker = directory.file("not-a-directory")
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let path = (blocker as NSString).appendingPathComponent("baton.sqlite")
        #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test(.enabled(if: getuid() != 0, "root writes through file permissions: run as another user to check read-only stores"))
    func aReadOnlyFileOrDirectoryIsReadOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        try SQLiteStore(path: path).close()
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
            try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        }
        #expect {
            try SQLiteStore(path: path)
        } throws: { error in
            if case .readOnly = error as? StoreError { return true } else { return false }
        }
        #expect {
            try SQLiteStore(path: (directory.path as NSString).appendingPathComponent("sub/baton.sqlite"))
        } throws: { error in
            if case .readOnly = error as? StoreError { return true } else { return false }
        }
    }

    @Test func aWriteLockHeldByAnotherConnectionIsLockedAfterTheBusyTimeout() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        let store = try SQLiteStore(path: path, busyTimeout: .milliseconds(200))
        let id = RunID.generate()
        let owner = LeaseOwner.current()
        try await store.createRun(
            RunRecord(id: id, workflowName: "wf", workflowHash: "h", status: .pending, input: [:],
                      checkpoint: Checkpoint(superstep: 0, state: [:], frontier: []), createdAt: 1, updatedAt: 1),
            events: [EventDraft(.runStarted)]
        )
        _ = try await store.acquireLease(run: id, owner: owner, duration: .seconds(30))

        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: configuration)
        try await other.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE; INSERT INTO workflows VALUES ('x', 'x', NULL, 'swift', '', NULL)") }

        let started = ContinuousClock.now
        await #expect {
            try await store.commit(StepCommit(run: id, owner: owner, superstep: 0, events: [EventDraft(.stepStarted)]))
        } throws: { error in
            if case .locked = error as? StoreError { return true } else { return false }
        }
        #expect(ContinuousClock.now - started >= .milliseconds(150), "the commit waited for the busy timeout")
        // Reads are not blocked by a writer (WAL).
        #expect(try await store.run(id)?.lastSeq == 1)

        try await other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        let receipt = try await store.commit(StepCommit(run: id, owner: owner, superstep: 0, events: [EventDraft(.stepStarted)]))
        #expect(receipt.lastSeq == 2)
        try other.close()
    }

    @Test func openingAFileExclusivelyLockedByAnotherProcessIsLocked() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: configuration)
        try other.writeWithoutTransaction { try $0.execute(sql: "CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)") }
        #expect {
            try SQLiteStore(path: path, busyTimeout: .milliseconds(200))
        } throws: { error in
            if case .locked = error as? StoreError { return true } else { return false }
        }
        try other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
        try other.close()
        _ = try SQLiteStore(path: path, busyTimeout: .milliseconds(200))
    }
    @Test func malformedJSONInARowIsCorruptedNamingTableAndRow() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        let store = try SQLiteStore(path: path)
        let id = RunID.generate()
        try await store.createRun(
            RunRecord(id: id, workflowName: "wf", workflowHash: "h", status: .pending, input: [:],
                      checkpoint: Checkpoint(superstep: 0, state: [:], frontier: []), createdAt: 1, updatedAt: 1),
            events: [EventDraft(.runStarted)]
        )
        try await store.recordEffect(EffectRecord(run: id, step: "0.0", index: 0, name: "model", value: 1, event: EventDraft(.effectRecorded)))
        let raw = try DatabaseQueue(path: path)
        try await raw.write { db in
            try db.execute(sql: "UPDATE runs SET checkpoint = '{\"superstep\": 0, ' WHERE id = ?", arguments: [id.rawValue])
            try db.execute(sql: "UPDATE effects SET value = 'not json' WHERE run = ?", arguments: [id.rawValue])
        }
        try raw.close()
        await #expect {
            try await store.run(id)
        } throws: { error in
            guard case let .corrupted(detail) = error as? StoreError else { return false }
            return detail.contains("runs") && detail.contains(id.rawValue) && detail.contains("checkpoint")
        }
        await #expect {
            try await store.effects(run: id, step: "0.0")
        } throws: { error in
            guard case let .corrupted(detail) = error as? StoreError else { return false }
            return detail.contains("effects") && detail.contains(id.rawValue)
        }
    }

    @Test func aCommitOnARunWhoseHeadIsCorruptedIsRefusedAndWritesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        let store = try SQLiteStore(path: path)
        let owner = LeaseOwner(id: "worker-1", host: "here", pid: 1)
        let id = RunID.generate()
        try await store.createRun(
            RunRecord(id: id, workflowName: "wf", workflowHash: "h", status: .running, input: [:],
                      checkpoint: Checkpoint(superstep: 0, state: [:], frontier: []), createdAt: 1, updatedAt: 1),
            events: [EventDraft(.runStarted)]
        )
        _ = try await store.acquireLease(run: id, owner: owner, duration: .seconds(60))
        let raw = try DatabaseQueue(path: path)
        // Text where the chain's position is kept (SQLite keeps it: it is not a number).
        try await raw.write { try $0.execute(sql: "UPDATE runs SET last_seq = 'one' WHERE id = ?", arguments: [id.rawValue]) }
        try raw.close()
        await #expect {
            try await store.commit(StepCommit(run: id, owner: owner, superstep: 0, events: [EventDraft(.runResumed)], advance: RunAdvance(status: .running)))
        } throws: { error in
            guard case let .corrupted(detail) = error as? StoreError else { return false }
            return detail.contains("runs") && detail.contains(id.rawValue) && detail.contains("last_seq") && detail.contains("not an integer")
        }
        // An unknown run is still named as such by the same read.
        await #expect(throws: StoreError.runNotFound("run_missing")) {
            try await store.commit(StepCommit(run: "run_missing", owner: owner, superstep: 0, events: [EventDraft(.runResumed)]))
        }
        let events = try await DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM events") }
        #expect(events == 1, "the refused commits wrote no event")
    }

    @Test func theJournalRefusesEditsAndDeletions() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        let store = try SQLiteStore(path: path)
        let id = RunID.generate()
        try await store.createRun(
            RunRecord(id: id, workflowName: "wf", workflowHash: "h", status: .pending, input: [:],
                      checkpoint: Checkpoint(superstep: 0, state: [:], frontier: []), createdAt: 1, updatedAt: 1),
            events: [EventDraft(.runStarted)]
        )
        let raw = try DatabaseQueue(path: path)
        await #expect(throws: DatabaseError.self) {
            try await raw.write { try $0.execute(sql: "UPDATE events SET data = '{}' WHERE run = ?", arguments: [id.rawValue]) }
        }
        await #expect(throws: DatabaseError.self) {
            try await raw.write { try $0.execute(sql: "DELETE FROM events WHERE run = ?", arguments: [id.rawValue]) }
        }
        try raw.close()
        #expect(try await store.events(run: id, after: 0, limit: 10).count == 1)
    }

    @Test func twoStoresOnOneFileSeeEachOthersWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        let engineSide = try SQLiteStore(path: path)
        let operatorSide = try SQLiteStore(path: path)
        let id = RunID.generate()
        let owner = LeaseOwner.current()
        try await engineSide.createRun(
            RunRecord(id: id, workflowName: "wf", workflowHash: "h", status: .pending, input: [:],
                      checkpoint: Checkpoint(superstep: 0, state: [:], frontier: []), createdAt: 1, updatedAt: 1),
            events: [EventDraft(.runStarted)]
        )
        _ = try await engineSide.acquireLease(run: id, owner: owner, duration: .seconds(30))
        let flagged = try await operatorSide.requestCancel(run: id, reason: "operator")
        #expect(flagged.status == .pending)
        #expect(flagged.cancelRequested)
        let receipt = try await engineSide.commit(StepCommit(run: id, owner: owner, superstep: 0, events: [EventDraft(.runCancelled)], advance: RunAdvance(status: .cancelled)))
        #expect(receipt == CommitReceipt(cancelRequested: true, lastSeq: 3))
        let events = try await operatorSide.events(run: id, after: 0, limit: 10)
        #expect(EventChain.verify(events) == .intact(events: 3, authentication: .none))
        #expect(try await operatorSide.run(id)?.status == .cancelled)
    }
}
