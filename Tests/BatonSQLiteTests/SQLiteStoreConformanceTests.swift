import BatonCore
import BatonSQLite
import BatonTesting
import Testing

/// The SQLite store passes the suite every store is held to, in each durability mode.
@Suite struct SQLiteStoreConformance {
    @Test(arguments: SQLiteStore.Durability.allCases, StoreConformance.Case.allCases)
    func conformance(_ durability: SQLiteStore.Durability, _ check: StoreConformance.Case) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await StoreConformance { auditKey in
            try SQLiteStore(path: directory.file(), durability: durability, auditKey: auditKey)
        }.run(check)
    }
}
