import BatonCore
import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// The embedded store: everything in one SQLite file, in WAL mode (by default
/// `.baton/baton.sqlite`, see ``defaultPath(in:)``).
///
/// ```swift
/// let store = try SQLiteStore(path: SQLiteStore.defaultPath(in: projectDirectory))
/// let engine = Engine(store: store)
/// ```
///
/// Every method is one transaction; a step's commit (its result, events, consumed signals and
/// next checkpoint) is one write transaction. Several processes may open the same file: writes
/// wait up to the busy timeout for one another, then fail with ``StoreError/locked(_:)``.
///
/// Every error thrown is a ``StoreError`` (or `CancellationError`); none of SQLite's or GRDB's
/// types escape. Operations are not interrupted by task cancellation: a commit that started
/// completes, so that an engine stopping a cancelled run can still record why.
public final class SQLiteStore: Store {
    /// How hard each commit works to survive a power failure.
    public enum Durability: String, Sendable, CaseIterable {
        /// `synchronous=FULL`: every transaction is on disk before its call returns. The default.
        case full
        /// `synchronous=NORMAL`: the WAL is synced only at checkpoints, so each commit is cheaper.
        /// A power failure (not a crash of the process) may lose the last transactions; the file
        /// is never corrupted, and a run loses at most steps it will re-execute on resume.
        case normal
        /// Group commit with `synchronous=FULL`: commits that arrive while another is being
        /// written are coalesced into the next transaction, one fsync for all of them. Same
        /// durability as `full`; each commit may wait for the transaction in progress, and many
        /// runs committing at once cost far fewer fsyncs.
        case batched
    }

    /// The file this store keeps.
    public let path: String
    public let durability: Durability
    /// Authenticates the events and heads this store writes, when set (``AuditKey``).
    let auditKey: AuditKey?
    let pool: DatabasePool
    let batcher: CommitBatcher?
    /// How long a write waits for another connection's write lock.
    let busyTimeout: Duration
    /// Writes started and not finished, for ``write(_:)``'s choice of thread.
    private let writesInFlight = Atomic<Int>(0)

    /// Opens the store at `path`, creating the file and its parent directories if needed, and
    /// migrates it to the current schema.
    ///
    /// - Parameters:
    ///   - busyTimeout: how long a write waits for another process's write before failing with
    ///     ``StoreError/locked(_:)``.
    ///   - auditKey: with a key, every event written gets a MAC and every run's head one too, so
    ///     that someone who can write to the file but lacks the key cannot rewrite the journal
    ///     undetected. Appending to a run written with a key then needs one: without it, such a
    ///     write throws ``StoreError/auditKeyRequired(_:)``.
    /// - Throws: ``StoreError/corrupted(_:)`` for a file that is not a SQLite database,
    ///   ``StoreError/schemaTooNew(found:supported:)`` for a store written by a newer Baton,
    ///   ``StoreError/readOnly(_:)`` when the file or its directory cannot be written,
    ///   ``StoreError/locked(_:)`` when another process holds the write lock past `busyTimeout`.
    ///   When opening fails, the file is unchanged.
    public init(path: String, durability: Durability = .full, busyTimeout: Duration = .seconds(5), auditKey: AuditKey? = nil) throws {
        self.path = path
        self.durability = durability
        self.busyTimeout = busyTimeout
        self.auditKey = auditKey
        pool = try Opening.open(path: path, durability: durability, busyTimeout: busyTimeout)
        batcher = durability == .batched ? CommitBatcher(pool: pool, path: path, auditKey: auditKey) : nil
    }

    /// Where a project keeps its store: `<directory>/.baton/baton.sqlite`.
    public static func defaultPath(in directory: String) -> String {
        (directory as NSString).appendingPathComponent(".baton/baton.sqlite")
    }

    /// The schema version this build writes (`PRAGMA user_version`).
    public static var schemaVersion: Int { Schema.version }

    /// Closes the file. Calls after this throw ``StoreError/unavailable(_:)``. Dropping the last
    /// reference to the store closes it too.
    public func close() throws {
        do {
            try pool.close()
        } catch {
            throw StoreErrorMapping.map(error, path: path)
        }
    }

    // MARK: Access

    /// Reads in one read transaction (a snapshot), on a reader connection.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let path = self.path
        return try await withCheckedThrowingContinuation { continuation in
            pool.asyncRead { result in
                do {
                    continuation.resume(returning: try body(try result.get()))
                } catch {
                    continuation.resume(throwing: StoreErrorMapping.map(error, path: path))
                }
            }
        }
    }

    /// Writes in one `BEGIN IMMEDIATE` transaction on the writer connection.
    ///
    /// When no other write of this store is in flight, the transaction runs on the calling thread
    /// (the writer's serial queue is idle, so `DispatchQueue.sync` runs it in place): a commit
    /// then costs no thread hop and no wake-up, which is most of a small commit's CPU time and a
    /// good part of its latency. Otherwise it queues on the writer and the caller suspends.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let path = self.path
        defer { writesInFlight.subtract(1, ordering: .releasing) }
        if writesInFlight.add(1, ordering: .acquiringAndReleasing).newValue == 1 {
            do {
                if let value = try writeOnThisThread(body) { return value }
            } catch {
                throw StoreErrorMapping.map(error, path: path)
            }
        }
        return try await withCheckedThrowingContinuation { continuation in
            pool.asyncWriteWithoutTransaction { db in
                do {
                    continuation.resume(returning: try Self.inImmediateTransaction(db, body))
                } catch {
                    continuation.resume(throwing: StoreErrorMapping.map(error, path: path))
                }
            }
        }
    }

    /// The transaction on the calling thread (the synchronous `writeWithoutTransaction`, which an
    /// async context would not choose).
    ///
    /// It never waits for another connection: SQLite's busy handler is off while it takes the
    /// write lock, so that when another process holds it this returns `nil` at once and the write
    /// waits on the writer's queue instead, where waiting blocks no task of the caller's pool.
    private func writeOnThisThread<T>(_ body: (Database) throws -> T) throws -> T? {
        try pool.writeWithoutTransaction { db -> T? in
            let connection = db.sqliteConnection
            sqlite3_busy_timeout(connection, 0)
            defer { sqlite3_busy_timeout(connection, Int32(busyTimeout.seconds * 1000)) }
            do {
                return try Self.inImmediateTransaction(db, body)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                return nil
            }
        }
    }

    private static func inImmediateTransaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        var value: T?
        try db.inTransaction(.immediate) {
            value = try body(db)
            return .commit
        }
        guard let value else { throw StoreError.unavailable("the write transaction returned nothing") }
        return value
    }

    /// Runs `body`, mapping anything it throws outside the database (encoding, decoding).
    func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw StoreErrorMapping.map(error, path: path)
        }
    }

    // MARK: Commit

    public func commit(_ commit: consuming StepCommit) async throws -> CommitReceipt {
        let prepared = PreparedCommit(commit)
        if let batcher { return try await batcher.submit(prepared) }
        let key = auditKey
        return try await write { db in try CommitWriter.apply(prepared, key: key, db) }
    }
}
