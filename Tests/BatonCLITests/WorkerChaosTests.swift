import BatonCore
import BatonPostgres
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real `baton worker` processes on one PostgreSQL store, one of them killed with SIGKILL about
/// every half second and started again: every run finishes, no committed step runs twice, every
/// side effect (a row of a ledger table, keyed by its idempotency key) happened exactly once,
/// every journal verifies; and SIGTERM stops a worker gracefully, exit status 0. Its processes load the
/// machine for most of a minute, which would slow the timing tests around it, so it runs alone:
/// scripts/test.sh runs it after the rest, with BATON_TEST_CHAOS=1.
@Suite(.serialized, .enabled(
    if: ProcessInfo.processInfo.environment["BATON_TEST_POSTGRES_URL"] != nil && ProcessInfo.processInfo.environment["BATON_TEST_CHAOS"] == "1",
    "needs PostgreSQL and the machine to itself: run alone, as scripts/test.sh does"
))
struct WorkerChaosTests {
    static var url: String { ProcessInfo.processInfo.environment["BATON_TEST_POSTGRES_URL"] ?? "" }

    /// A workflow of ten steps one after the other, each a side-effecting call that writes a row
    /// to the ledger table `ledger_chaos` of the store.
    static let tenSteps = "baton: 1\nname: ten-effects\ntools:\n  record: { builtin: ledger.append, table: ledger_chaos }\nnodes:\n"
        + (0..<10).map { "  s\($0): { tool: record, args: { step: \($0) }, into: s\($0) }\n" }.joined()
        + "edges:\n" + (1..<10).map { "  - s\($0 - 1) -> s\($0)\n" }.joined()

    /// The ledger's rows: idempotency key → arrivals.
    static func ledger(schema: String) async throws -> [String: Int] {
        let store = try await PostgresStore(location: try PostgresLocation(url: url).with(schema: schema), connections: 1)
        defer { store.close() }
        let entries = try await PostgresLedgerTool(store: store, table: "ledger_chaos").entries()
        return Dictionary(entries.map { ($0.key, $0.arrivals) }, uniquingKeysWith: +)
    }

    static func startWorker(_ store: String, log: URL) throws -> Process {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["worker", "--store", store, "--concurrency", "4", "--turn", "3"]
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    @Test func workersKilledAtRandomStillFinishEveryRunOnce() async throws {
        let cli = try CLI()
        let schema = "chaos_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let store = "\(Self.url)?schema=\(schema)"
        let flow = try cli.write("ten.yaml", Self.tenSteps)
        let runs = 200
        var ids: [String] = []
        for _ in 0..<runs {
            let started = try await cli.run(["run", flow, "--detach", "--store", store], withStore: false)
            #expect(started.status == 0, "\(started.stderr)")
            ids.append(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let log = cli.directory.appendingPathComponent("workers.log")
        var workers = try (0..<3).map { _ in try Self.startWorker(store, log: log) }
        var kills = 0
        var generator = SystemRandomNumberGenerator()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...700, using: &generator)))
            let list = try await cli.run(["runs", "list", "--status", "succeeded", "--limit", "1000", "--json", "--store", store], withStore: false)
            if list.json?.arrayValue?.count == runs { break }
            let victim = Int.random(in: 0..<workers.count, using: &generator)
            kill(workers[victim].processIdentifier, SIGKILL)
            workers[victim].waitUntilExit()
            kills += 1
            workers[victim] = try Self.startWorker(store, log: log)
        }
        for worker in workers where worker.isRunning { kill(worker.processIdentifier, SIGTERM) }
        for worker in workers { worker.waitUntilExit() }
        let ledger = try await Self.ledger(schema: schema)
        let secondArrivals = ledger.values.reduce(0) { $0 + $1 - 1 }
        print("worker chaos: \(runs) runs of 10 steps, \(kills) workers killed with SIGKILL, \(ledger.count) effects in the ledger, \(secondArrivals) second arrivals absorbed by their keys")
        #expect(ledger.count == runs * 10, "every effect is in the ledger exactly once (the key is the table's primary key)")
        for id in ids {
            let keys = Set((0..<10).map { "\(id)/\($0).0/0" })
            let found = Set(ledger.keys.filter { $0.hasPrefix(id + "/") })
            #expect(found == keys, "run \(id): its ledger rows are one per step, keyed RUN/SUPERSTEP.BRANCH/EFFECT: \(found.sorted())")
        }

        let list = try await cli.run(["runs", "list", "--status", "succeeded", "--limit", "1000", "--json", "--store", store], withStore: false)
        #expect(list.json?.arrayValue?.count == runs, "every run finished; workers' log:\n\((try? String(contentsOf: log, encoding: .utf8))?.suffix(2000) ?? "")")
        #expect(kills > 0)
        for id in ids {
            let events = try await cli.run(["runs", "events", id, "--json", "--store", store], withStore: false)
            let succeeded = events.stdout.split(separator: "\n").filter { $0.contains("\"type\":\"step.succeeded\"") }.count
            #expect(succeeded == 10, "run \(id): each of its ten steps committed once, not \(succeeded) times")
        }
        let verify = try await cli.run(["audit", "verify", "--all", "--store", store], withStore: false)
        #expect(verify.status == 0, "\(verify.stdout.suffix(500))")
    }

    @Test func sigtermStopsAWorkerGracefully() async throws {
        let cli = try CLI()
        let schema = "term_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let log = cli.directory.appendingPathComponent("worker.log")
        let worker = try Self.startWorker("\(Self.url)?schema=\(schema)", log: log)
        try await Task.sleep(for: .seconds(1))
        kill(worker.processIdentifier, SIGTERM)
        worker.waitUntilExit()
        #expect(worker.terminationReason == .exit)
        #expect(worker.terminationStatus == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        #expect((try? String(contentsOf: log, encoding: .utf8))?.contains("stopped") == true)

        let sqlite = try await cli.run(["worker"])
        #expect(sqlite.status == 2)
        #expect(sqlite.stderr.contains("needs a PostgreSQL store"))
    }
}
