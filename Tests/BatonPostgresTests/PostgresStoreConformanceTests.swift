import BatonCore
import BatonPostgres
import BatonTesting
import Testing

/// The PostgreSQL store passes the suite every store is held to, each case in a schema of its own.
@Suite(.enabled(if: PostgresTestServer.isAvailable, "needs PostgreSQL: BATON_TEST_POSTGRES_URL (scripts/test.sh starts one)"))
struct PostgresStoreConformance {
    @Test(arguments: StoreConformance.Case.allCases)
    func conformance(_ check: StoreConformance.Case) async throws {
        let stores = StoreBox()
        let conformance = StoreConformance { auditKey in
            let store = try await PostgresStore(location: try PostgresTestServer.location(), connections: 4, auditKey: auditKey, operationTimeout: PostgresTestServer.operationTimeout)
            await stores.keep(store)
            return store
        }
        do {
            try await conformance.run(check)
        } catch {
            await stores.dropAll()
            throw error
        }
        await stores.dropAll()
    }
}

/// The stores a case made, to drop their schemas after it.
actor StoreBox {
    private var stores: [PostgresStore] = []
    func keep(_ store: PostgresStore) { stores.append(store) }
    func dropAll() async {
        for store in stores {
            try? await store.dropSchema()
            store.close()
        }
        stores = []
    }
}
