import Foundation
import GRDB

/// The physical floor of a durable step on SQLite: single-row INSERT transactions on a fresh
/// file in WAL mode, through GRDB, the library and SQLite build that `SQLiteStore` uses. Each
/// transaction is `BEGIN IMMEDIATE; INSERT …; COMMIT` with a prepared statement, so nothing but
/// SQLite and the disk is in the number. w6 reports it; w2 measures it again, in its own process
/// and interleaved with its own loop, to divide by it.
struct RawSQLiteFloor {
    /// The `synchronous` setting of the WAL.
    enum Synchronous: String, CaseIterable, Sendable {
        case full = "FULL"
        case normal = "NORMAL"
    }

    /// Bytes of the text column of each row (about one small step's worth).
    static let rowBytes = 300

    let synchronous: Synchronous
    private let queue: DatabaseQueue
    private let payload = String(repeating: "x", count: rowBytes)
    private(set) var inserted = 0

    /// Creates the file (which must not exist) and its one table.
    init(_ synchronous: Synchronous, path: String) async throws {
        self.synchronous = synchronous
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try await queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, run TEXT NOT NULL, data TEXT NOT NULL)")
        }
    }

    /// Times `commits` transactions of one row each.
    mutating func measure(commits: Int) async throws -> Figure {
        let runs = (inserted..<(inserted + commits)).map { "run_\($0)" }
        let (queue, payload) = (self.queue, self.payload)
        let figure = try await Meter.measure(ops: commits, unit: "commit") {
            for run in runs {
                try queue.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        try db.cachedStatement(sql: "INSERT INTO t (run, data) VALUES (?, ?)").execute(arguments: [run, payload])
                        return .commit
                    }
                }
            }
        }
        inserted += commits
        return figure
    }

    /// Checks that every row is there and the journal was the WAL, then closes the file.
    func close(checkingFor workload: String) async throws {
        let (rows, mode, level) = try await queue.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM t") ?? -1,
                try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "?",
                try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            )
        }
        try queue.close()
        try expect(rows == inserted, in: workload, "the raw table holds \(rows) rows, expected \(inserted)")
        try expect(mode.lowercased() == "wal", in: workload, "the raw journal_mode is \(mode), expected wal")
        // PRAGMA synchronous reads back 1 for NORMAL and 2 for FULL.
        try expect(level == (synchronous == .full ? 2 : 1), in: workload, "the raw synchronous level is \(level), expected \(synchronous.rawValue)")
    }
}
