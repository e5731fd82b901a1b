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

            let schema = store.location.schema
            let rows = try await PostgresTestServer.withClient(store.location) { client in
                var rows: [String: (String, Int)] = [:]
                let query = PostgresQuery(unsafeSQL: "SELECT key, record, arrivals FROM \(schema).ledger_refunds")
                for try await (key, record, arrivals) in try await client.query(query).decode((String, String, Int).self) {
                    rows[key] = (record, arrivals)
                }
                return rows
            }
            #expect(rows.count == 2)
            #expect(rows["r1/0.0/0"]?.0 == #"{"amount":80,"order":"B-2"}"#)
            #expect(rows["r1/0.0/0"]?.1 == 2, "two arrivals, one row")
            #expect(rows["r1/1.0/0"]?.1 == 1)

            // A worker logged in as a member of the workers' role writes to the owner's table.
            try await PostgresGrantTests.withLogin(member: store.location.workerRole, store.location) { worker in
                let workerStore = try await PostgresStore(location: worker, connections: 1)
                defer { workerStore.close() }
                let asWorker = try PostgresLedgerTool(store: workerStore, table: "ledger_refunds")
                let written = try await asWorker.call(["order": "D-4"], context: ToolContext(tool: "ledger.append", idempotencyKey: "r2/0.0/0"))
                #expect(written == ["recorded": true])
            }
        }
    }

    @Test func badTableNamesAreRefused() async throws {
        try await PostgresTestServer.withStore { store in
            for name in ["runs", "events", "Ledger", "ledger-x", "ledger; DROP TABLE runs", ""] {
                #expect(throws: ToolError.self, "\(name)") { try PostgresLedgerTool(store: store, table: name) }
            }
            let plain = try PostgresLedgerTool(store: store, table: "ledger")
            #expect(plain.table == "ledger")
        }
    }
}
