import BatonCore
import BatonPostgres
import Foundation
import PostgresNIO
import Testing

/// `ledger.append` on a table: one row per idempotency key, a second arrival changes nothing but
/// its count, the workers' role may use a table its owner created, bad names are refused.
@Suite(.enabled(if: PostgresTestServer.isAvailable, "needs PostgreSQL: BATON_TEST_POSTGRES_URL (scripts/test.sh starts one)"))
struct PostgresLedgerToolTests {
    @Test func aSecondArrivalIsAbsorbedByItsKey() async throws {
        try await PostgresTestServer.withStore { store in
            let tool = try PostgresLedgerTool(store: store, table: "ledger_refunds", name: "refund")
            #expect(tool.contract.effect == .sideEffecting)
            let first = try await tool.call(["order": "B-2", "amount": 80], context: ToolContext(tool: "refund", idempotencyKey: "r1/0.0/0"))
            #expect(first == ["recorded": true])
            let again = try await tool.call(["order": "B-2", "amount": 80], context: ToolContext(tool: "refund", idempotencyKey: "r1/0.0/0"))
            #expect(again == ["recorded": false, "duplicate": true])
            let other = try await tool.call(["order": "C-3", "amount": 5], context: ToolContext(tool: "refund", idempotencyKey: "r1/1.0/0"))
            #expect(other == ["recorded": true])

            let rows = try await tool.entries()
            #expect(rows.map(\.key) == ["r1/0.0/0", "r1/1.0/0"])
            #expect(rows.first?.record == ["amount": 80, "order": "B-2"])
            #expect(rows.first?.arrivals == 2, "two arrivals, one row")
            #expect(rows.last?.arrivals == 1)
            #expect(rows.allSatisfy { $0.time > 1_700_000_000_000 }, "milliseconds since 1970")

            // A worker logged in as a member of the workers' role writes to the owner's table.
            try await PostgresGrantTests.withLogin(member: store.location.workerRole, store.location) { worker in
                let workerStore = try await PostgresStore(location: worker, connections: 1, operationTimeout: PostgresTestServer.operationTimeout)
                defer { workerStore.close() }
                let asWorker = try PostgresLedgerTool(store: workerStore, table: "ledger_refunds")
                let written = try await asWorker.call(["order": "D-4"], context: ToolContext(tool: "ledger.append", idempotencyKey: "r2/0.0/0"))
                #expect(written == ["recorded": true])
            }
        }
    }

    @Test func badTableNamesAreRefused() async throws {
        try await PostgresTestServer.withStore { store in
            #expect(try await PostgresLedgerTool(store: store, table: "ledger_unused").entries().isEmpty, "no table yet: no rows")
            for name in ["runs", "events", "Ledger", "ledger-x", "ledger; DROP TABLE runs", ""] {
                #expect(throws: ToolError.self, "\(name)") { try PostgresLedgerTool(store: store, table: name) }
            }
            let plain = try PostgresLedgerTool(store: store, table: "ledger")
            #expect(plain.table == "ledger")
        }
    }
}
