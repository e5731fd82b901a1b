import BatonCore
import Foundation
import GRDB

/// Typed, checked access to the columns of one row: a GRDB row, or the row a
/// ``DirectStatement`` has stepped to (valid until it steps again). A value of the wrong type or
/// malformed JSON is reported as ``StoreError/corrupted(_:)`` naming the table, the row and the
/// column, never as a crash.
struct RowReader {
    private enum Source {
        case row(Row)
        case statement(OpaquePointer)
    }

    private let source: Source
    let table: String
    let key: String

    init(row: Row, table: String, key: String) {
        self.init(.row(row), table: table, key: key)
    }

    init(statement: OpaquePointer, table: String, key: String) {
        self.init(.statement(statement), table: table, key: key)
    }

    private init(_ source: Source, table: String, key: String) {
        self.source = source
        self.table = table
        self.key = key
    }

    func corrupted(_ column: String, _ why: String) -> StoreError {
        .corrupted("table \(table), row \(key), column \(column): \(why)")
    }

    private func value(_ index: Int) -> DatabaseValue {
        switch source {
        case let .row(row): return row[index]
        case let .statement(statement): return DatabaseValue(sqliteStatement: statement, index: Int32(index))
        }
    }

    func text(_ index: Int, _ column: String) throws -> String {
        guard let value = try optionalText(index, column) else { throw corrupted(column, "is NULL") }
        return value
    }

    func optionalText(_ index: Int, _ column: String) throws -> String? {
        switch value(index).storage {
        case .null: return nil
        case let .string(value): return value
        default: throw corrupted(column, "is not text")
        }
    }

    func integer(_ index: Int, _ column: String) throws -> Int64 {
        guard let value = try optionalInteger(index, column) else { throw corrupted(column, "is NULL") }
        return value
    }

    func optionalInteger(_ index: Int, _ column: String) throws -> Int64? {
        switch value(index).storage {
        case .null: return nil
        case let .int64(value): return value
        default: throw corrupted(column, "is not an integer")
        }
    }
}
