import BatonCore
import Foundation
import GRDB

/// Typed, checked access to the columns of one row: a value of the wrong type or malformed JSON
/// is reported as ``StoreError/corrupted(_:)`` naming the table, the row and the column, never
/// as a crash.
struct RowReader {
    let row: Row
    let table: String
    let key: String

    func corrupted(_ column: String, _ why: String) -> StoreError {
        .corrupted("table \(table), row \(key), column \(column): \(why)")
    }

    func text(_ index: Int, _ column: String) throws -> String {
        guard let value = try optionalText(index, column) else { throw corrupted(column, "is NULL") }
        return value
    }

    func optionalText(_ index: Int, _ column: String) throws -> String? {
        switch (row[index] as DatabaseValue).storage {
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
        switch (row[index] as DatabaseValue).storage {
        case .null: return nil
        case let .int64(value): return value
        default: throw corrupted(column, "is not an integer")
        }
    }
}
