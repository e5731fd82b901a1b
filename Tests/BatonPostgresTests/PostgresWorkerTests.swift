import BatonCore
import BatonPostgres
import Foundation
import Synchronization
import Testing

/// Workers on one PostgreSQL store: they share the ready runs, never run a committed step twice,
/// give short runs a turn beside long ones, take over runs a dead process left, and wake at once
/// when a parked run is signalled.
@Suite(.enabled(if: PostgresTestServer.isAvailable, "needs PostgreSQL: BATON_TEST_POSTGRES_URL (scripts/test.sh starts one)"))
struct PostgresWorkerTests {
    /// A chain of `length` nodes, each adding 1 to `count`.
    static func chain(_ name: String, length: Int) throws -> Workflow {
        var flow = WorkflowBuilder(name)
        flow.state("count", .sum, initial: 0)
        for index in 0..<length {
            flow.function("n\(index)") { _ in ["count": 1] }
            if index > 0 { flow.edge("n\(index - 1)", "n\(index)") }
        }
        return try flow.build()
    }

    static func worker(_ store: PostgresStore, _ workflows: [Workflow], options: PostgresWorker.Options) -> PostgresWorker {
        PostgresWorker(store: store, options: options, makeEngine: { _, engineOptions in
            let engine = Engine(store: store, options: engineOptions)
            for workflow in workflows { engine.register(workflow) }
            return engine
        }, report: { report in
            if ProcessInfo.processInfo.environment["BATON_TEST_WORKER_LOG"] != nil { FileHandle.standardError.write(Data("\(report)\n".utf8)) }
        })
    }

    /// Waits until `done` holds, checking every 50 ms, for at most `timeout`.
    static func eventually(_ timeout: Duration = .seconds(30), _ done: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await done() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await done()
    }

    @Test func twoWorkersShareTheRunsAndRunEveryStepOnce() async throws {
        try await PostgresTestServer.withStore { store in
            let flow = try Self.chain("chain", length: 5)
            let starter = Engine(store: store)
            var ids: [RunID] = []
            for _ in 0..<30 { ids.append(try await starter.start(flow)) }
            let workers = (0..<2).map { _ in Self.worker(store, [flow], options: .init(concurrency: 4, superstepsPerTurn: 2)) }
            let tasks = workers.map { worker in Task { await worker.run() } }
            let finished = try await Self.eventually {
                try await store.runs(RunQuery(status: .succeeded, limit: 100)).count == 30
            }
            tasks.forEach { $0.cancel() }
            for task in tasks { await task.value }
            #expect(finished)
            for id in ids {
                let run = try #require(try await store.run(id))
                #expect(run.output?["count"] == 5)
                let trail = try await store.auditTrail(run: id)
                #expect(EventChain.verify(trail.events, head: trail.head).isIntact)
                #expect(trail.events.filter { $0.type == .stepSucceeded }.count == 5, "each of the five steps committed once")
            }
            #expect(workers.allSatisfy { $0.running == 0 }, "nothing is held after they stop")
        }
    }

    @Test func aShortRunGetsATurnBesideALongOne() async throws {
        try await PostgresTestServer.withStore { store in
            let long = try Self.chain("long", length: 40)
            let short = try Self.chain("short", length: 2)
            let starter = Engine(store: store)
            let longID = try await starter.start(long)
            try await Task.sleep(for: .milliseconds(5))
            let shortID = try await starter.start(short)
            let worker = Self.worker(store, [long, short], options: .init(concurrency: 1, superstepsPerTurn: 2))
            let task = Task { await worker.run() }
            let bothDone = try await Self.eventually {
                let longStatus = try await store.run(longID)?.status
                let shortStatus = try await store.run(shortID)?.status
                return longStatus == .succeeded && shortStatus == .succeeded
            }
            task.cancel()
            await task.value
            #expect(bothDone)
            let longEnd = try #require(try await store.run(longID)?.updatedAt)
            let shortEnd = try #require(try await store.run(shortID)?.updatedAt)
            #expect(shortEnd < longEnd, "the short run finished while the long one waited for its next turn")
        }
    }

    @Test func aRunLeftByADeadProcessIsTakenOver() async throws {
        try await PostgresTestServer.withStore { store in
            let flow = try Self.chain("orphan", length: 3)
            let id = try await Engine(store: store).start(flow)
            // Leased by a process of this machine that no longer exists, for ten minutes.
            let dead = LeaseOwner(id: "dead-worker", host: ProcessInfo.processInfo.hostName, pid: Int32.max - 7)
            _ = try await store.acquireLease(run: id, owner: dead, duration: .seconds(600))
            let worker = Self.worker(store, [flow], options: .init(concurrency: 1))
            let task = Task { await worker.run() }
            let done = try await Self.eventually { try await store.run(id)?.status == .succeeded }
            task.cancel()
            await task.value
            #expect(done)
        }
    }

    @Test func aSignalledRunIsResumedAtOnce() async throws {
        try await PostgresTestServer.withStore { store in
            var flow = WorkflowBuilder("signalled")
            flow.node("wait", .wait(WaitSpec(signal: "go")), into: "got")
            let workflow = try flow.build()
            let id = try await Engine(store: store).start(workflow)
            // A long poll interval: only the notification can wake the worker in time.
            let worker = Self.worker(store, [workflow], options: .init(concurrency: 2, pollInterval: .seconds(60)))
            let task = Task { await worker.run() }
            let parked = try await Self.eventually(.seconds(10)) { try await store.run(id)?.status == .waiting }
            #expect(parked)
            let sent = ContinuousClock.now
            try await store.deliverSignal(run: id, name: "go", payload: ["n": 1])
            let resumed = try await Self.eventually(.seconds(10)) { try await store.run(id)?.status == .succeeded }
            let latency = ContinuousClock.now - sent
            task.cancel()
            await task.value
            #expect(resumed)
            #expect(latency < .seconds(5), "woken by the notification, not by polling: \(latency)")
            #expect(try await store.run(id)?.output?["got"] == ["n": 1])
        }
    }
}

/// PostgreSQL itself restarted while workers run: they reconnect and finish every run, each step
/// once. It runs alone (scripts/test.sh runs it after the rest, with BATON_TEST_POSTGRES_RESTART=1),
/// since a restart would disturb every other test on the server.
@Suite(.enabled(if: PostgresTestServer.canRestart && ProcessInfo.processInfo.environment["BATON_TEST_POSTGRES_RESTART"] == "1", "restarts the test server: run alone, as scripts/test.sh does"))
struct PostgresRestartTests {
    @Test func workersReconnectAfterTheServerRestarts() async throws {
        // An operation the restart catches fails at once, whether the driver saw its connection
        // close or dropped it on a connection already closed (ConnectionWatch): no operation may
        // wait for its bound, 120 s here, for the runs to finish within 30 s. Before the watch,
        // 3 runs in 8 of this test waited 30 s on one operation.
        try await PostgresTestServer.withStore { store in
            var flow = WorkflowBuilder("slow-chain")
            flow.state("count", .sum, initial: 0)
            for index in 0..<12 {
                flow.function("n\(index)") { _ in
                    try await Task.sleep(for: .milliseconds(40))
                    return ["count": 1]
                }
                if index > 0 { flow.edge("n\(index - 1)", "n\(index)") }
            }
            let workflow = try flow.build()
            let starter = Engine(store: store)
            var ids: [RunID] = []
            for _ in 0..<12 { ids.append(try await starter.start(workflow)) }
            let worker = PostgresWorkerTests.worker(store, [workflow], options: .init(concurrency: 6, superstepsPerTurn: 3, retryDelay: .milliseconds(200)))
            let task = Task { await worker.run() }
            try await Task.sleep(for: .milliseconds(400))
            try await PostgresTestServer.restart()
            let finished = try await PostgresWorkerTests.eventually(.seconds(30)) {
                (try? await store.runs(RunQuery(status: .succeeded, limit: 100)).count) == 12
            }
            task.cancel()
            await task.value
            #expect(finished, "every run finished after the restart")
            for id in ids {
                let trail = try await store.auditTrail(run: id)
                #expect(EventChain.verify(trail.events, head: trail.head).isIntact)
                #expect(trail.events.filter { $0.type == .stepSucceeded }.count == 12, "each step committed once")
            }
        }
    }
}
