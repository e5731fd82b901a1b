import BatonCore
import BatonTesting
import Testing

/// The reference store passes the suite every store is held to.
@Suite struct InMemoryStoreConformance {
    @Test(arguments: StoreConformance.Case.allCases)
    func conformance(_ check: StoreConformance.Case) async throws {
        try await StoreConformance { auditKey in InMemoryStore(auditKey: auditKey) }.run(check)
    }
}
