import BatonCore
import Foundation
import GRDB

/// Turns whatever SQLite, GRDB or decoding threw into a ``StoreError``, so that no GRDB type
/// escapes the public API. `CancellationError` passes through unchanged.
enum StoreErrorMapping {
    static func map(_ error: any Error, path: String) -> any Error {
        switch error {
        case let error as StoreError: return error
        case let error as ApprovalError: return error
        case is CancellationError: return error
        case let error as DatabaseError: return fromSQLite(error, path: path)
        case let error as JSONParseError: return StoreError.corrupted("\(path): \(error)")
        case let error as DecodingError: return StoreError.corrupted("\(path): a row does not decode: \(error)")
        case let error as RowDecodingError: return StoreError.corrupted("\(path): \(error)")
        default: return StoreError.unavailable("\(path): \(error)")
        }
    }

    static func fromSQLite(_ error: DatabaseError, path: String) -> StoreError {
        let detail = "\(path): \(error.message ?? "SQLite error \(error.extendedResultCode.rawValue)")"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .locked(detail)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return .readOnly(detail)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT, .SQLITE_FORMAT:
            return .corrupted(detail)
        case .SQLITE_CANTOPEN:
            return Opening.isWritable(path) ? .unavailable(detail) : .readOnly(detail)
        case .SQLITE_FULL:
            return .unavailable("\(detail) (the disk is full)")
        default:
            return .unavailable(detail)
        }
    }
}
