import BatonCore
import BatonSQLite
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

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

    func launch(_ scratch: Scratch, run: RunID, mode: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = Self.worker
        process.arguments = [scratch.store, scratch.ledger, run.rawValue, mode]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        return (process, out)
    }

    func finalState(_ pipe: Pipe) throws -> JSON {
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return try JSON(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Starts the worker, kills it with SIGKILL after a random 20 to 110 ms, and starts it again
    /// with `resume`, 25 times; then lets it finish. Returns the kills and the final result.
    func crashLoop(_ scratch: Scratch, run id: RunID) throws -> (Int, JSON?) {
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        var mode = "start"
        for _ in 0..<400 {
            let (process, out) = try launch(scratch, run: id, mode: mode)
            mode = "resume"
            if kills < 25 {
                usleep(UInt32(Int.random(in: 20...110, using: &generator) * 1000))
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    kills += 1
                    continue
                }
            }
            process.waitUntilExit()
            if process.terminationStatus == 0 { return (kills, try finalState(out)) }
        }
        return (kills, nil)
    }

    @Test func aRunKilledAtRandomMomentsFinishesAsIfNothingHappened() async throws {
        // The reference: the same workflow, never killed.
        let reference = try Scratch()
        let (clean, cleanOut) = try launch(reference, run: "run_reference", mode: "start")
        let expected = try await onThread {
            clean.waitUntilExit()
            return try self.finalState(cleanOut)
        }
        #expect(clean.terminationStatus == 0)
        #expect(expected["status"] == "succeeded")
        #expect(Set(reference.ledgerLines()).count == 50)

        let scratch = try Scratch()
        let id: RunID = "run_crashed"
        // The kill loop runs on a thread of its own, so that its timing does not depend on how
        // busy the test's cooperative threads are.
        let (kills, finished) = try await onThread { try self.crashLoop(scratch, run: id) }
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
        #expect(EventChain.verify(events) == .intact(events: events.count))
        let succeededSteps = events.filter { $0.type == .stepSucceeded }.compactMap { $0.data["step"]?.stringValue }
        #expect(succeededSteps.count == 50)
        #expect(Set(succeededSteps).count == 50)
        let journaled = events.filter { $0.type == .effectRecorded }.compactMap { $0.data["idempotency_key"]?.stringValue }
        #expect(Set(journaled) == expectedKeys)
        #expect(journaled.count == 50, "an effect was journaled twice")
    }

    /// Runs blocking work on a thread of its own, off the test's cooperative pool.
    func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }
}
