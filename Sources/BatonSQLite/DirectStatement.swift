import GRDB
import GRDBSQLite

/// A cached statement bound, stepped and read straight through SQLite's API, for the statements
/// every commit runs (reading the run's head, inserting its events, moving the run on): GRDB's
/// arguments box each value and its row cursor builds a table of column names every time, which
/// was a third of a commit's CPU outside the disk. Bindings are cleared and the statement reset
/// when the value is dropped.
struct DirectStatement: ~Copyable {
    private let db: Database
    private let sql: String
    private let handle: OpaquePointer

    init(_ db: Database, sql: String) throws {
        self.db = db
        self.sql = sql
        handle = try db.cachedStatement(sql: sql).sqliteStatement
        sqlite3_reset(handle)
    }

    deinit {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds parameter `index` (from 1) to `value`, or to NULL.
    func bind(_ index: Int32, _ value: String?) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        let code = value.withCString { text in sqlite3_bind_text(handle, index, text, Int32(value.utf8.count), sqliteTransient) }
        try check(code)
    }

    func bind(_ index: Int32, _ value: Int64?) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        try check(sqlite3_bind_int64(handle, index, value))
    }

    func bind(_ index: Int32, _ value: Int) throws { try bind(index, Int64(value)) }

    func bind(_ index: Int32, _ value: Bool) throws { try bind(index, Int64(value ? 1 : 0)) }

    /// Runs a statement that returns no rows.
    func execute() throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw DatabaseError.last(db, code: code, sql: sql) }
    }

    /// Steps to the first row and reads it with `read`; `nil` when there is none.
    func firstRow<T>(table: String, key: String, _ read: (RowReader) throws -> T) throws -> T? {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return try read(RowReader(statement: handle, table: table, key: key))
        case SQLITE_DONE: return nil
        case let code: throw DatabaseError.last(db, code: code, sql: sql)
        }
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw DatabaseError.last(db, code: code, sql: sql) }
    }
}

/// Tells SQLite to copy a bound value (`SQLITE_TRANSIENT`, a macro Swift does not import).
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension DatabaseError {
    /// The connection's last error, after a call of SQLite's API returned `code`.
    static func last(_ db: Database, code: Int32, sql: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
    }
}
