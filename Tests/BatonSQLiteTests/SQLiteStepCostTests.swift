import BatonCore
import BatonSQLite
import Foundation
import GRDB
import Testing

/// What one engine step costs on SQLite, next to the floor: one raw SQLite transaction with
/// `synchronous=FULL` in WAL mode. Set `BATON_STEP_COST=1` to run it; it prints the costs, and in
/// a release build (`swift test -c release -Xswiftc -enable-testing`) checks them loosely.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["BATON_STEP_COST"] != nil, "set BATON_STEP_COST=1 to measure"))
struct SQLiteStepCostTests {
    @Test func anEngineStepCostsAboutOneRawFullCommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let steps = 300

        let clock = ContinuousClock()
        let rawPerCommit = try Self.rawCommitCost(path: directory.file("raw.sqlite"), commits: steps)

        var flow = WorkflowBuilder("cost")
        flow.state("count", .sum, initial: 0)
        for index in 0..<steps {
            flow.function("n\(index)", maxVisits: 1) { _ in ["count": 1] }
            if index > 0 { flow.edge("n\(index - 1)", "n\(index)") }
        }
        flow.limits.maxSteps = steps * 2
        let workflow = try flow.build()
        for durability in SQLiteStore.Durability.allCases {
            let engine = Engine(store: try SQLiteStore(path: directory.file("\(durability).sqlite"), durability: durability))
            let start = clock.now
            let result = try await engine.run(workflow)
            let perStep = (clock.now - start) / steps
            #expect(result.status == .succeeded)
            let ratio = perStep / rawPerCommit
            print("step cost: raw FULL commit \(rawPerCommit), engine step on SQLite \(durability) \(perStep) (\(String(format: "%.2f", ratio))×)")
            #if !DEBUG
            // A step writes a run row, its events and a checkpoint record: several pages where the
            // raw commit writes one. Where an fsync costs little (fast virtual disks) the extra pages
            // show; on disks where the fsync dominates, the ratio nears 1.
            if durability == .full { #expect(ratio < 2.5, "an engine step should cost about one raw FULL commit (target 1.3×)") }
            #endif
        }
        let memory = Engine(store: InMemoryStore())
        let start = clock.now
        _ = try await memory.run(workflow)
        print("step cost: engine step in memory \((clock.now - start) / steps)")
    }

    /// One row of a few hundred bytes per transaction, WAL, synchronous=FULL.
    static func rawCommitCost(path: String, commits: Int) throws -> Duration {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        let raw = try DatabaseQueue(path: path, configuration: configuration)
        try raw.write { try $0.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, run TEXT, data TEXT)") }
        try raw.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        let payload = String(repeating: "x", count: 300)
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<commits {
            try raw.write { try $0.execute(sql: "INSERT INTO t (run, data) VALUES (?, ?)", arguments: ["run_\(index)", payload]) }
        }
        return (clock.now - start) / commits
    }
}
