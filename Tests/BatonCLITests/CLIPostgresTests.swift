import BatonCore
import Foundation
import Testing

/// The command line on a PostgreSQL store (`--store postgres://…`): the same commands, the same
/// results; a store that cannot be reached is a clear error and exit status 2.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["BATON_TEST_POSTGRES_URL"] != nil, "needs PostgreSQL: BATON_TEST_POSTGRES_URL (scripts/test.sh starts one)"))
struct CLIPostgresTests {
    static var url: String { ProcessInfo.processInfo.environment["BATON_TEST_POSTGRES_URL"] ?? "" }

    @Test func runListVerifyAndSignalOnPostgres() async throws {
        let cli = try CLI()
        let schema = "cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let store = ["--store", "\(Self.url)?schema=\(schema)"]
        let result = try await cli.run(["run", cli.example("hello.yaml"), "--input", #"{"names": ["Ada", "Grace"]}"#, "--json"] + store, withStore: false)
        expectNoCrash(result)
        #expect(result.status == 0, "\(result.stderr)")
        let id = try #require(result.json?["id"]?.stringValue)
        let list = try await cli.run(["runs", "list", "--json"] + store, withStore: false)
        #expect(list.json?.arrayValue?.first?["id"]?.stringValue == id)
        let verify = try await cli.run(["audit", "verify", "--all"] + store, withStore: false)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("intact"))

        let waiting = try cli.write("wait.yaml", """
            baton: 1
            name: waits
            nodes:
              wait: { wait: { signal: go }, into: got }
            """)
        let parked = try await cli.run(["run", waiting, "--json"] + store, withStore: false)
        #expect(parked.status == 3, "\(parked.stderr)")
        let parkedID = try #require(parked.json?["id"]?.stringValue)
        let signalled = try await cli.run(["signal", parkedID, "go", "--payload", #"{"n": 1}"#, "--json"] + store, withStore: false)
        #expect(signalled.status == 0, "\(signalled.stderr)")
        #expect(signalled.json?["output"]?["got"] == ["n": 1])
    }

    @Test func anUnreachableStoreIsAClearError() async throws {
        let cli = try CLI()
        let result = try await cli.run(["runs", "list", "--store", "postgres://baton@127.0.0.1:1/baton"], withStore: false)
        expectNoCrash(result)
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot reach PostgreSQL at postgres://baton@127.0.0.1:1/baton"))
        let bad = try await cli.run(["runs", "list", "--store", "postgres://nobody:hunter2@127.0.0.1/baton?sslmode=sometimes"], withStore: false)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("sslmode"))
        #expect(!bad.stderr.contains("hunter2"), "the password never appears")
    }

    @Test func aLedgerTableRecordsEachEffectOnce() async throws {
        let cli = try CLI()
        let schema = "ledger_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let store = ["--store", "\(Self.url)?schema=\(schema)"]
        /// A workflow that pays once, into the ledger table `table`.
        func payingFlow(_ file: String, table: String) throws -> String {
            try cli.write(file, """
                baton: 1
                name: pays
                tools:
                  pay: { builtin: ledger.append, table: \(table) }
                nodes:
                  pay: { tool: pay, args: { amount: 80 }, into: paid }
                """)
        }
        let flow = try payingFlow("pay.yaml", table: "ledger_payments")
        let first = try await cli.run(["run", flow, "--json"] + store, withStore: false)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.json?["output"]?["paid"] == ["recorded": true])
        let second = try await cli.run(["run", flow, "--json"] + store, withStore: false)
        #expect(second.json?["output"]?["paid"] == ["recorded": true], "another run, another key")

        // The same table on the embedded store, and bad table names: a clear error, exit status 2.
        let onSQLite = try await cli.run(["run", flow])
        expectNoCrash(onSQLite)
        #expect(onSQLite.status == 2)
        #expect(onSQLite.stderr.contains("keeps its ledger in the run's PostgreSQL store"), "\(onSQLite.stderr)")
        let refused = try await cli.run(["run", try payingFlow("bad.yaml", table: "runs")] + store, withStore: false)
        expectNoCrash(refused)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("must be a lower-case identifier starting with 'ledger'"), "\(refused.stderr)")
    }
}
