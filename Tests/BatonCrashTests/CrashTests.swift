import BatonCore
import BatonSQLite
import Foundation
import Subprocess
import SystemPackage
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

    /// How one life of the worker ended.
    enum Life {
        case killed
        case exited(Int32, output: String)
    }

    /// Starts the worker; with `killAfter`, sends it SIGKILL that long after it reports that it is
    /// ready (its store is open), unless it has exited by then.
    ///
    /// The kill is timed on a thread of its own, not with `Task.sleep`: the tests around this one
    /// can keep the cooperative pool busy for seconds on a loaded machine, and a late timer lets the
    /// worker finish instead of dying.
    func life(_ scratch: Scratch, run: RunID, mode: String, killAfter: Duration?) async throws -> Life {
        let result = try await Subprocess.run(
            .path(FilePath(Self.worker.path)), arguments: [scratch.store, scratch.ledger, run.rawValue, mode],
            input: .none, output: .sequence, error: .discarded
        ) { execution in
            var lastLine = ""
            for try await line in execution.standardOutput.strings() {
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed == "ready", let killAfter {
                    let seconds = Double(killAfter.components.seconds) + Double(killAfter.components.attoseconds) * 1e-18
                    Thread.detachNewThread {
                        Thread.sleep(forTimeInterval: seconds)
                        try? execution.send(signal: .kill)
                    }
                } else if !trimmed.isEmpty {
                    lastLine = trimmed
                }
            }
            return lastLine
        }
        switch result.terminationStatus {
        case let .exited(code): return .exited(code, output: result.closureResult)
        case .signaled: return .killed
        }
    }

    /// Starts the worker, kills it with SIGKILL a random 10 to 90 ms after it is ready (up to about
    /// three 25 ms steps), and starts it again with `resume`, 25 times; then lets it finish.
    /// Returns the kills and the final result.
    func crashLoop(_ scratch: Scratch, run id: RunID) async throws -> (kills: Int, result: JSON?) {
        var kills = 0
        var mode = "start"
        for _ in 0..<400 {
            let delay: Duration? = kills < 25 ? .milliseconds(Int.random(in: 10...90)) : nil
            let outcome = try await life(scratch, run: id, mode: mode, killAfter: delay)
            mode = "resume"
            switch outcome {
            case .killed: kills += 1
            case let .exited(0, output): return (kills, try JSON(parsing: output))
            case .exited: continue
            }
        }
        return (kills, nil)
    }

    @Test func aRunKilledAtRandomMomentsFinishesAsIfNothingHappened() async throws {
        // The reference: the same workflow, never killed.
        let reference = try Scratch()
        guard case let .exited(0, output) = try await life(reference, run: "run_reference", mode: "start", killAfter: nil) else {
            Issue.record("the uncrashed reference run failed")
            return
        }
        let expected = try JSON(parsing: output)
        #expect(expected["status"] == "succeeded")
        #expect(Set(reference.ledgerLines()).count == 50)

        let scratch = try Scratch()
        let id: RunID = "run_crashed"
        let (kills, finished) = try await crashLoop(scratch, run: id)
        let result = try #require(finished, "the run never finished")
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
