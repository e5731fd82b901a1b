import BatonCore
import BatonPostgres
import Foundation
import PostgresNIO
import Testing

/// The migrations' grants: a worker logged in as a member of the workers' role runs workflows,
/// appending to the journal, but may not update, delete or truncate events; a schema that needs
/// migrating is refused to such a role with what to do; a role that cannot be created is named.
@Suite(.enabled(if: PostgresTestServer.isAvailable, "needs PostgreSQL: BATON_TEST_POSTGRES_URL (scripts/test.sh starts one)"))
struct PostgresGrantTests {
    static func uniqueName(_ prefix: String) -> String {
        prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
    }

    /// Runs `body` with a login role that is a member of `granted` (none: a bare login), dropping
    /// the role after.
    static func withLogin<T>(member granted: String?, extra: [String] = [], _ location: PostgresLocation, _ body: (PostgresLocation) async throws -> T) async throws -> T {
        let login = uniqueName("login")
        try await PostgresTestServer.withClient(location) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE ROLE \(login) LOGIN"))
            if let granted { try await client.query(PostgresQuery(unsafeSQL: "GRANT \(granted) TO \(login)")) }
            for statement in extra { try await client.query(PostgresQuery(unsafeSQL: statement.replacingOccurrences(of: "LOGIN_ROLE", with: login))) }
        }
        var asLogin = location
        asLogin.username = login
        func dropLogin() async throws {
            try await PostgresTestServer.withClient(location) { client in
                try await client.query(PostgresQuery(unsafeSQL: "DROP OWNED BY \(login)"))
                try await client.query(PostgresQuery(unsafeSQL: "DROP ROLE \(login)"))
            }
        }
        do {
            let value = try await body(asLogin)
            try await dropLogin()
            return value
        } catch {
            try? await dropLogin()
            throw error
        }
    }

    @Test func theWorkersRoleAppendsEventsButCannotChangeThem() async throws {
        try await PostgresTestServer.withStore { owner in
            #expect(owner.location.workerRole == PostgresLocation.defaultWorkerRole)
            try await Self.withLogin(member: owner.location.workerRole, owner.location) { worker in
                let store = try await PostgresStore(location: worker, connections: 2, operationTimeout: PostgresTestServer.operationTimeout)
                defer { store.close() }
                let result = try await Engine(store: store).run(try PostgresEngineTests.countingFlow())
                #expect(result.status == .succeeded, "a worker's role runs workflows: \(result.reason ?? "")")
                let trail = try await store.auditTrail(run: result.id)
                #expect(trail.events.count > 5)

                let schema = worker.schema
                let refusals = try await PostgresTestServer.withClient(worker) { client in
                    var states: [String: String?] = [:]
                    for statement in [
                        "UPDATE \(schema).events SET data = '{}' WHERE run = '\(result.id)'",
                        "DELETE FROM \(schema).events WHERE run = '\(result.id)'",
                        "TRUNCATE \(schema).events",
                        "UPDATE \(schema).schema_version SET version = 1",
                        "DROP TABLE \(schema).events",
                    ] {
                        states[statement] = await PostgresTestServer.failure(of: statement, at: client)
                    }
                    states["SELECT"] = await PostgresTestServer.failure(of: "SELECT count(*) FROM \(schema).events", at: client)
                    return states
                }
                for (statement, state) in refusals where statement != "SELECT" {
                    #expect(state == "42501", "\(statement): refused for lack of privilege, not \(state ?? "accepted")")
                }
                #expect(refusals["SELECT"] == .some(nil), "the role reads the journal")
                #expect(EventChain.verify(try await store.auditTrail(run: result.id).events, head: trail.head).isIntact, "nothing changed")
            }
            // The owner, who holds every privilege, is still refused by the triggers, TRUNCATE included.
            let schema = owner.location.schema
            let state = try await PostgresTestServer.withClient(owner.location) { client in
                await PostgresTestServer.failure(of: "TRUNCATE \(schema).events", at: client)
            }
            #expect(state == "P0001", "the append-only trigger refuses TRUNCATE, not \(state ?? "accepted")")
        }
    }

    @Test func aSchemaThatNeedsMigratingIsRefusedToTheWorkersRole() async throws {
        try await PostgresTestServer.withStore { _ in
            // A schema without Baton's tables yet (the workers' role exists: `existing` made it).
            let empty = try PostgresTestServer.location(schema: "empty")
            let role = empty.workerRole
            try await PostgresTestServer.withClient(empty) { client in
                try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(empty.schema)"))
                try await client.query(PostgresQuery(unsafeSQL: "GRANT USAGE ON SCHEMA \(empty.schema) TO \(role)"))
            }
            try await Self.withLogin(member: role, empty) { worker in
                do {
                    let store = try await PostgresStore(location: worker, connections: 1, operationTimeout: PostgresTestServer.operationTimeout)
                    store.close()
                    Issue.record("a worker's role migrated the schema")
                } catch let error as StoreError {
                    guard case .readOnly = error else { Issue.record("not readOnly: \(error)"); return }
                    #expect("\(error)".contains("is at version 0 and this Baton needs version \(PostgresStore.schemaVersion)"), "\(error)")
                    #expect("\(error)".contains("open the store once as the role that owns the schema"), "\(error)")
                }
                // Its owner migrates it; then the worker opens it.
                let migrated = try await PostgresStore(location: empty, connections: 1, operationTimeout: PostgresTestServer.operationTimeout)
                let store = try await PostgresStore(location: worker, connections: 1, operationTimeout: PostgresTestServer.operationTimeout)
                #expect(try await store.runs(RunQuery()).isEmpty)
                store.close()
                try await migrated.dropSchema()
                migrated.close()
            }
        }
    }

    @Test func aWorkersRoleThatCannotBeCreatedIsNamed() async throws {
        let base = try PostgresTestServer.location(schema: "grant")
        let database = base.database
        try await Self.withLogin(member: nil, extra: ["GRANT CREATE ON DATABASE \(database) TO LOGIN_ROLE"], base) { migrator in
            var location = migrator
            location.workerRole = Self.uniqueName("absent")
            do {
                let store = try await PostgresStore(location: location, connections: 1, operationTimeout: PostgresTestServer.operationTimeout)
                store.close()
                Issue.record("a role without CREATEROLE created \(location.workerRole)")
            } catch {
                #expect("\(error)".contains("role \(location.workerRole) does not exist"), "\(error)")
                #expect("\(error)".contains("CREATE ROLE \(location.workerRole) NOLOGIN first"), "\(error)")
            }
            location.workerRole = "Bad-Role"
            await #expect(throws: StoreError.self) { _ = try await PostgresStore(location: location, connections: 1, operationTimeout: PostgresTestServer.operationTimeout) }
        }
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgres://x@h/db?worker_role=Bad-Role") }
        #expect(try PostgresLocation(url: "postgres://x@h/db?worker_role=ops_worker").workerRole == "ops_worker")
    }
}
