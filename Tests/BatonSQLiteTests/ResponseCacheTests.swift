import BatonCore
import Foundation
import GRDB
import Testing

@testable import BatonSQLite

/// The agents' response cache in the store's file: it answers until it expires, outlives the
/// process, and arrives in stores written before it existed.
@Suite struct ResponseCacheTests {
    @Test func anEntryAnswersUntilItExpiresAndSurvivesReopening() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("cache.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            #expect(try await store.cached("model:abc") == nil)
            try await store.store(["text": "hello", "usage": ["input": 3]], under: "model:abc", ttl: .seconds(60))
            try await store.store("brief", under: "tool:short", ttl: .milliseconds(50))
            #expect(try await store.cached("model:abc") == ["text": "hello", "usage": ["input": 3]])
            try await store.store(["text": "newer"], under: "model:abc", ttl: .seconds(60))
            #expect(try await store.cached("model:abc") == ["text": "newer"])
            try await Task.sleep(for: .milliseconds(120))
            #expect(try await store.cached("tool:short") == nil)
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.cached("model:abc") == ["text": "newer"])
        // Storing again clears what has expired.
        try await reopened.store(1, under: "tool:other", ttl: .seconds(60))
        let rows = try await reopened.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM response_cache") }
        #expect(rows == 2)
    }

    @Test func aStoreOfTheFirstSchemaGainsTheCacheWhenOpened() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("old.sqlite")
        _ = try SQLiteStore(path: path)
        // Take the store back to schema 1, as a build before the cache wrote it.
        let raw = try DatabaseQueue(path: path)
        try await raw.write { db in
            try db.execute(sql: "DROP TABLE response_cache")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v2 response cache'")
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        try raw.close()
        let store = try SQLiteStore(path: path)
        try await store.store("kept", under: "k", ttl: .seconds(10))
        #expect(try await store.cached("k") == "kept")
        #expect(try await store.pool.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == 2)
    }
}
