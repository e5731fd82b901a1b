import BatonCore
import BatonPostgres
import Foundation

/// The PostgreSQL server the tests use: `BATON_TEST_POSTGRES_URL`, which `scripts/test.sh` sets
/// (starting a throwaway cluster). Without it the tests that need PostgreSQL are skipped, saying so.
enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["BATON_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    static let isAvailable: Bool = {
        if url == nil {
            print("skipped: no PostgreSQL for the tests (BATON_TEST_POSTGRES_URL is not set; scripts/test.sh starts one)")
        }
        return url != nil
    }()

    /// A location in a schema of its own, so that tests running at once never share tables.
    static func location(schema prefix: String = "t") throws -> PostgresLocation {
        guard let url else { throw StoreError.unavailable("BATON_TEST_POSTGRES_URL is not set") }
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        return try PostgresLocation(url: url).with(schema: "\(prefix)_\(suffix)")
    }

    /// A new store in a schema of its own; `body` runs with it and the schema is dropped after.
    static func withStore<T>(auditKey: AuditKey? = nil, _ body: (PostgresStore) async throws -> T) async throws -> T {
        let store = try await PostgresStore(location: try location(), connections: 4, auditKey: auditKey)
        do {
            let value = try await body(store)
            try await store.dropSchema()
            store.close()
            return value
        } catch {
            try? await store.dropSchema()
            store.close()
            throw error
        }
    }
}
