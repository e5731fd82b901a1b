import BatonCore
import BatonTesting
import Foundation
import Testing

/// The crash harness as a user runs it on their own workflow: `baton run`, killed with SIGKILL at
/// random moments, `baton resume` after each kill; the run ends as an uncrashed one would, each of
/// its side effects in the ledger once. On the embedded store, and on PostgreSQL when the tests
/// have a server (`BATON_TEST_POSTGRES_URL`, which scripts/test.sh sets).
@Suite(.serialized) struct CLICrashHarnessTests {
    /// The stores to crash on: the test's SQLite file, and a schema of its own on PostgreSQL.
    static var stores: [String] {
        var stores = ["sqlite"]
        if let url = ProcessInfo.processInfo.environment["BATON_TEST_POSTGRES_URL"], !url.isEmpty { stores.append("postgres") }
        return stores
    }

    /// Forty steps one after the other, each recording itself in a ledger file under `root`.
    static func flow(root: String) -> String {
        "baton: 1\nname: forty-effects\ntools:\n  record: { builtin: ledger.append, root: \"\(root)\", file: ledger.jsonl }\nnodes:\n"
            + (0..<40).map { "  s\($0): { tool: record, args: { step: \($0) }, into: s\($0) }\n" }.joined()
            + "edges:\n" + (1..<40).map { "  - s\($0 - 1) -> s\($0)\n" }.joined()
    }

    @Test(arguments: stores) func batonRunKilledAndResumedFinishesWithEveryEffectOnce(_ kind: String) async throws {
        let cli = try CLI()
        let schema = "crash_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let store = kind == "postgres" ? "\(ProcessInfo.processInfo.environment["BATON_TEST_POSTGRES_URL"] ?? "")?schema=\(schema)" : cli.store
        let file = try cli.write("forty.yaml", Self.flow(root: cli.directory.path))
        // The run takes a fraction of a second: kills land in its start-up and in its steps, and a
        // life that finishes before its kill ends the test's killing early.
        let harness = CrashHarness(kills: 8, killDelay: .milliseconds(20) ... .milliseconds(150))
        let report = try await harness.run { _ in
            // Resume the run once a life got as far as creating it; start it until then.
            let newest = try await cli.run(["runs", "list", "--limit", "1", "--json", "--store", store], withStore: false).json?.arrayValue?.first?["id"]?.stringValue
            let arguments = newest.map { ["resume", $0] } ?? ["run", file]
            return CrashHarness.Life(executable: CLI.binary.path, arguments: arguments + ["--store", store, "--json"])
        }
        #expect(report.kills >= 2, "killed \(report.kills) times in \(report.lives) lives")
        guard case let .exited(0, output) = report.final else {
            Issue.record("the run never finished: \(String(describing: report.final)) after \(report.lives) lives")
            return
        }
        let result = try JSON(parsing: output)
        #expect(result["status"] == "succeeded")
        let id = try #require(result["id"]?.stringValue)

        let lines = try String(contentsOf: cli.directory.appendingPathComponent("ledger.jsonl"), encoding: .utf8).split(separator: "\n")
        let keys = lines.compactMap { try? JSON(parsing: String($0))["key"]?.stringValue }
        #expect(keys.count == 40, "the ledger keeps each key once: its second arrivals wrote nothing")
        #expect(Set(keys) == Set((0..<40).map { "\(id)/\($0).0/0" }))
        let events = try await cli.run(["runs", "events", id, "--json", "--store", store], withStore: false)
        #expect(events.stdout.split(separator: "\n").filter { $0.contains("\"type\":\"step.succeeded\"") }.count == 40, "each step committed once")
        let verify = try await cli.run(["audit", "verify", id, "--store", store], withStore: false)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        print("crash harness with baton on \(kind): \(report.kills) kills in \(report.lives) lives")
    }
}
