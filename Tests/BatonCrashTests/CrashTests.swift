import BatonCore
import BatonSQLite
import BatonTesting
import Foundation
import Testing

/// Kills a real process running a 50-step workflow with SIGKILL at random moments, resumes it each
/// time, and checks that it ends exactly as an uncrashed run, with every effect in the outside
/// ledger once per idempotency key.
@Suite(.serialized) struct CrashTests {
    static let worker: URL = {
        let beside = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("CrashWorker")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/CrashWorker")
    }()

    struct Scratch {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-crash-\(UUID().uuidString)")
        var store: String { directory.appendingPathComponent("store.sqlite").path }
        var ledger: String { directory.appendingPathComponent("ledger.txt").path }
        init() throws { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        func ledgerLines() -> [String] {
            (try? String(contentsOfFile: ledger, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
        }
    }

    /// The worker's life `number` for `run`: the first one starts it, the others resume it. It
    /// prints `ready` once its store is open, and its result as the last line.
    static func life(_ scratch: Scratch, run: RunID, number: Int) -> CrashHarness.Life {
        CrashHarness.Life(executable: worker.path, arguments: [scratch.store, scratch.ledger, run.rawValue, number == 0 ? "start" : "resume"])
    }

    /// Kills the worker a random 10 to 90 ms after it is ready (up to about three 25 ms steps),
    /// 25 times, starting it again with `resume` each time; then lets it finish.
    static let harness = CrashHarness(kills: 25, killDelay: .milliseconds(10) ... .milliseconds(90), readyLine: "ready")

    @Test func aRunKilledAtRandomMomentsFinishesAsIfNothingHappened() async throws {
        // The reference: the same workflow, never killed.
        let reference = try Scratch()
        guard case let .exited(0, output) = try await Self.harness.live(Self.life(reference, run: "run_reference", number: 0), killAfter: nil) else {
            Issue.record("the uncrashed reference run failed")
            return
        }
        let expected = try JSON(parsing: output)
        #expect(expected["status"] == "succeeded")
        #expect(Set(reference.ledgerLines()).count == 50)

        let scratch = try Scratch()
        let id: RunID = "run_crashed"
        let report = try await Self.harness.run { Self.life(scratch, run: id, number: $0) }
        let kills = report.kills
        guard case let .exited(0, output: finished) = report.final else {
            Issue.record("the run never finished: \(String(describing: report.final)) after \(report.lives) lives")
            return
        }
        let result = try JSON(parsing: finished)
        #expect(kills >= 20)
        #expect(result["status"] == "succeeded")
        #expect(result["output"] == expected["output"])

        // Every effect is in the ledger, keyed by its idempotency key; second arrivals can only
        // come from a kill between an effect and its journal commit.
        let lines = scratch.ledgerLines()
        let keys = Set(lines)
        let expectedKeys = Set((0..<50).map { "run_crashed/\($0).0/0" })
        #expect(keys == expectedKeys)
        let secondArrivals = lines.count - keys.count
        #expect(secondArrivals <= kills)
        print("crash test: \(kills) kills, \(lines.count) ledger arrivals for \(keys.count) effects, \(secondArrivals) second arrivals absorbed by the idempotency key")

        // No committed step ran twice, and the journal's hash chain is intact.
        let store = try SQLiteStore(path: scratch.store)
        var events: [Event] = []
        while true {
            let page = try await store.events(run: id, after: events.last?.seq ?? 0, limit: 1000)
            events += page
            if page.count < 1000 { break }
        }
        #expect(EventChain.verify(events) == .intact(events: events.count, authentication: .none))
        let succeededSteps = events.filter { $0.type == .stepSucceeded }.compactMap { $0.data["step"]?.stringValue }
        #expect(succeededSteps.count == 50)
        #expect(Set(succeededSteps).count == 50)
        let journaled = events.filter { $0.type == .effectRecorded }.compactMap { $0.data["idempotency_key"]?.stringValue }
        #expect(Set(journaled) == expectedKeys)
        #expect(journaled.count == 50, "an effect was journaled twice")
    }
}
