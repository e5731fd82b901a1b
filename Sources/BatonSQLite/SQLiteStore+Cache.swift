import BatonCore
import GRDB

/// The store keeps the agents' response cache in its file, so that a cached answer outlives the
/// process and is shared by every process on the store.
extension SQLiteStore: ResponseCache {
    public func cached(_ key: String) async throws -> JSON? {
        let now = EventDraft.now()
        let text = try await read { db in
            try String.fetchOne(db, sql: "SELECT value FROM response_cache WHERE key = ? AND expires_at > ?", arguments: [key, now])
        }
        return try text.map { try ColumnJSON.parse($0, table: "response_cache", key: key, column: "value") }
    }

    public func store(_ value: JSON, under key: String, ttl: Duration) async throws {
        let expires = EventDraft.now() + Int64(ttl.seconds * 1000)
        let text = value.canonicalString
        _ = try await write { db in
            // Expired entries go when a new one arrives: the table holds what is still useful.
            try db.execute(sql: "DELETE FROM response_cache WHERE expires_at <= ?", arguments: [EventDraft.now()])
            try db.execute(
                sql: "INSERT INTO response_cache (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
                arguments: [key, text, expires]
            )
            return true
        }
    }
}
