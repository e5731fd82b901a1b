import BatonCore
import BatonPostgres
import Foundation
import PostgresNIO
import Testing

/// The engine on a real PostgreSQL server: runs finish and read back intact, many engines commit
/// to one store at once, a run parked by one engine resumes in another, the journal refuses
/// changes, and bad input gets a clear error.
@Suite(.enabled(if: PostgresTestServer.isAvailable, "needs PostgreSQL: BATON_TEST_POSTGRES_URL (scripts/test.sh starts one)"))
struct PostgresEngineTests {
    static func countingFlow() throws -> Workflow {
        var flow = WorkflowBuilder("postgres-e2e")
        flow.state("count", .sum, initial: 0)
        flow.state("log", .append, initial: [])
        flow.function("start") { _ in ["count": 1] }
        flow.function("left") { context in
            let stamp: Int = try await context.effect("stamp") { _ in 7 }
            return ["count": .int(stamp), "log": "left"]
        }
        flow.function("right") { _ in ["count": 2, "log": "right"] }
        flow.function("finish") { _ in ["count": 100] }
        flow.edge("start", parallel: ["left", "right"])
        flow.join(["left", "right"], "finish")
        return try flow.build()
    }

    @Test func aRunSucceedsAndReadsBackFromAnotherConnection() async throws {
        try await PostgresTestServer.withStore { store in
            let result = try await Engine(store: store).run(try Self.countingFlow())
            #expect(result.status == .succeeded)
            #expect(result.output?["count"] == 110)
            #expect(result.output?["log"] == ["left", "right"])

            let other = try await PostgresStore(location: store.location, connections: 1, operationTimeout: PostgresTestServer.operationTimeout)
            defer { other.close() }
            let run = try #require(try await other.run(result.id))
            #expect(run.status == .succeeded)
            #expect(run.leaseOwner == nil)
            let events = try await other.events(run: result.id, after: 0, limit: 1_000)
            #expect(EventChain.verify(events, head: run.head) == .intact(events: events.count, authentication: .none))
            #expect(try await other.checkpoints(run: result.id).count == 4)
            #expect(try await other.effects(run: result.id, step: "1.0") == [0: 7])
        }
    }

    @Test func manyEnginesCommitToOneStoreAtOnce() async throws {
        try await PostgresTestServer.withStore { store in
            let flow = try Self.countingFlow()
            let results = try await withThrowingTaskGroup(of: RunResult.self) { group in
                for _ in 0..<4 {
                    let engine = Engine(store: store)
                    for _ in 0..<10 { group.addTask { try await engine.run(flow) } }
                }
                var results: [RunResult] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(results.count == 40)
            let wrong = results.filter { $0.status != .succeeded || $0.output?["count"] != 110 }
            #expect(wrong.isEmpty, "\(wrong.map { "\($0.id): \($0.status) \($0.reason ?? "")" })")
            for result in results {
                let trail = try await store.auditTrail(run: result.id)
                #expect(EventChain.verify(trail.events, head: trail.head).isIntact)
            }
        }
    }

    @Test func aRunParkedByOneEngineResumesInAnother() async throws {
        try await PostgresTestServer.withStore { store in
            var flow = WorkflowBuilder("signalled")
            flow.node("wait", .wait(WaitSpec(signal: "go")), into: "payload")
            flow.function("after") { context in ["done": context.state["payload"] ?? .null] }
            flow.edge("wait", "after")
            let workflow = try flow.build()
            let parked = try await Engine(store: store).run(workflow)
            #expect(parked.status == .waiting)
            // Another engine (as another worker would) delivers the signal and finishes the run.
            let other = Engine(store: store)
            other.register(workflow)
            try await store.deliverSignal(run: parked.id, name: "go", payload: ["n": 1])
            let finished = try await other.resume(parked.id)
            #expect(finished.status == .succeeded, "\(finished.reason ?? "")")
            #expect(finished.output?["done"] == ["n": 1])
        }
    }

    @Test func theJournalRefusesUpdatesAndDeletes() async throws {
        try await PostgresTestServer.withStore { store in
            let result = try await Engine(store: store).run(try Self.countingFlow())
            let schema = store.location.schema
            let statements = ["UPDATE \(schema).events SET data = '{}' WHERE run = '\(result.id)'", "DELETE FROM \(schema).events WHERE run = '\(result.id)'"]
            let states = try await PostgresTestServer.withClient(store.location) { client in
                var states: [String?] = []
                for statement in statements { states.append(await PostgresTestServer.failure(of: statement, at: client)) }
                return states
            }
            #expect(states == ["P0001", "P0001"], "the append-only trigger refuses both, even to the tables' owner")
            let trail = try await store.auditTrail(run: result.id)
            #expect(EventChain.verify(trail.events, head: trail.head).isIntact, "nothing changed")
        }
    }

    @Test func badInputGetsAClearError() async throws {
        let good = try #require(PostgresTestServer.url)
        for (url, expected) in [
            ("mysql://x@h/db", "does not start with postgres://"),
            ("postgres://x@h", "names no database"),
            ("postgres://h/db", "names no user"),
            ("postgres://x@h/db?schema=Bad-Name", "lower-case identifier"),
            ("postgres://x@h/db?sslmode=maybe", "sslmode"),
            ("postgres://x@h/db?keepalive=0", "keepalive is '0'"),
            ("postgres://x@h/db?keepalive=soon", "whole seconds"),
            ("postgres://x@h/db?keep_alive=30", "unknown option 'keep_alive'"),
        ] {
            #expect(throws: StoreError.self, "\(url)") { try PostgresLocation(url: url) }
            do {
                _ = try PostgresLocation(url: url)
            } catch {
                #expect("\(error)".contains(expected), "\(url): \(error)")
            }
        }
        #expect("\(try PostgresLocation(url: "postgres://ada:s3cret@db.example/baton"))".contains("s3cret") == false)

        let location = try PostgresLocation(url: good)
        var unknownUser = location
        unknownUser.username = "nobody_here"
        await expectUnavailable(unknownUser, containing: "refused the login of user 'nobody_here'")
        var closedPort = location
        closedPort.port = 1
        await expectUnavailable(closedPort, containing: "cannot reach PostgreSQL")
        var missingDatabase = location
        missingDatabase.database = "no_such_database"
        await expectUnavailable(missingDatabase, containing: "create the database first")
    }

    /// Off by default; `keepalive=N` has idle pooled connections run `SELECT 1` every N seconds,
    /// which the server shows as their last query.
    @Test func keepAliveQueriesAreTheURLsChoice() async throws {
        #expect(try PostgresLocation(url: "postgres://x@h/db").keepAlive == nil)
        let url = try #require(PostgresTestServer.url)
        var location = try PostgresTestServer.location(schema: "keepalive")
        location.keepAlive = try PostgresLocation(url: url + (url.contains("?") ? "&" : "?") + "keepalive=1").keepAlive
        #expect(location.keepAlive == .seconds(1))
        let store = try await PostgresStore(location: location, connections: 2, operationTimeout: PostgresTestServer.operationTimeout)
        defer { store.close() }
        let result = try await Engine(store: store).run(try Self.countingFlow())
        #expect(result.status == .succeeded)
        let schema = location.schema
        let keptAlive = try await PostgresTestServer.withClient(location) { client in
            for _ in 0..<40 {
                try await Task.sleep(for: .milliseconds(250))
                // The keep-alive query shows as the last query of an idle connection of this
                // store's pool; the other tests' stores send none.
                let rows = try await client.query("SELECT count(*)::int FROM pg_stat_activity WHERE state = 'idle' AND query = 'SELECT 1;'")
                for try await count in rows.decode(Int.self) where count > 0 { return true }
            }
            return false
        }
        #expect(keptAlive, "no idle connection of \(schema)'s store ran the keep-alive query within 10 s")
        try await store.dropSchema()
    }

    @Test func aSchemaFromANewerBatonIsRefused() async throws {
        try await PostgresTestServer.withStore { store in
            try await PostgresTestServer.withClient(store.location) { client in
                try await client.query(PostgresQuery(unsafeSQL: "UPDATE \(store.location.schema).schema_version SET version = 99"))
            }
            await #expect(throws: StoreError.schemaTooNew(found: 99, supported: PostgresStore.schemaVersion)) {
                _ = try await PostgresStore(location: store.location, connections: 1, operationTimeout: PostgresTestServer.operationTimeout)
            }
        }
    }

    func expectUnavailable(_ location: PostgresLocation, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            let store = try await PostgresStore(location: location, connections: 1, operationTimeout: PostgresTestServer.operationTimeout)
            store.close()
            Issue.record("connecting to \(location) succeeded", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            #expect("\(error)".contains(text), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("not a StoreError: \(error)", sourceLocation: sourceLocation)
        }
    }
}
