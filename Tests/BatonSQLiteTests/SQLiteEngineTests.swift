import BatonCore
import BatonSQLite
import Foundation
import Testing

/// The engine on a real file: runs finish, park, resume in a later "process" and read back intact.
@Suite struct SQLiteEngineTests {
    static func countingFlow() throws -> Workflow {
        var flow = WorkflowBuilder("sqlite-e2e")
        flow.state("count", .sum, initial: 0)
        flow.state("log", .append, initial: [])
        flow.function("start") { _ in ["count": 1] }
        flow.function("left") { ctx in
            let stamp: Int = try await ctx.effect("stamp") { _ in 7 }
            return ["count": .int(stamp), "log": "left"]
        }
        flow.function("right") { _ in ["count": 2, "log": "right"] }
        flow.function("finish") { _ in ["count": 100] }
        flow.edge("start", parallel: ["left", "right"])
        flow.join(["left", "right"], "finish")
        return try flow.build()
    }

    @Test(arguments: SQLiteStore.Durability.allCases)
    func aRunSucceedsAndReadsBackAfterReopening(_ durability: SQLiteStore.Durability) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = SQLiteStore.defaultPath(in: directory.path)
        let id: RunID
        do {
            let engine = Engine(store: try SQLiteStore(path: path, durability: durability))
            let result = try await engine.run(try Self.countingFlow())
            #expect(result.status == .succeeded)
            #expect(result.output?["count"] == 110)
            #expect(result.output?["log"] == ["left", "right"])
            id = result.id
        }

        let store = try SQLiteStore(path: path)
        let run = try #require(try await store.run(id))
        #expect(run.status == .succeeded)
        #expect(run.output?["count"] == 110)
        #expect(run.leaseOwner == nil)
        let events = try await store.events(run: id, after: 0, limit: 1_000)
        #expect(EventChain.verify(events) == .intact(events: events.count, authentication: .none))
        #expect(events.first?.type == .runStarted)
        #expect(events.last?.type == .runSucceeded)
        #expect(run.lastSeq == events.count)
        #expect(try await store.checkpoints(run: id).count == 4)
        let effects = try await store.effects(run: id, step: "1.0")
        #expect(effects == [0: 7])
        #expect(try await store.runs(RunQuery(workflow: "sqlite-e2e")).map(\.id) == [id])
    }

    @Test func aParkedRunResumesFromTheFileInANewEngine() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file()
        func flow() throws -> Workflow {
            var flow = WorkflowBuilder("approval")
            flow.function("draft") { _ in ["draft": "v1"] }
            flow.node("hold", .wait(WaitSpec(signal: "approve")), into: "decision")
            flow.function("publish") { ctx in ["published": ctx.state["decision"]?["ok"] ?? false] }
            flow.edge("draft", "hold")
            flow.edge("hold", "publish")
            return try flow.build()
        }
        let parked: RunResult
        do {
            parked = try await Engine(store: try SQLiteStore(path: path)).run(try flow())
        }
        #expect(parked.status == .waiting)

        let later = Engine(store: try SQLiteStore(path: path))
        later.register(try flow())
        let finished = try await later.signal(parked.id, name: "approve", payload: ["ok": true])
        #expect(finished.status == .succeeded)
        #expect(finished.output?["published"] == true)
        let events = try await later.store.events(run: parked.id, after: 0, limit: 1_000)
        #expect(EventChain.verify(events) == .intact(events: events.count, authentication: .none))
        #expect(try await later.store.signals(run: parked.id).isEmpty)
    }
}
