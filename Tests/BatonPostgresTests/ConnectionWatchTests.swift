@testable import BatonPostgres
import BatonCore
import Logging
import PostgresNIO
import Testing

/// An operation on a connection that has closed fails at once instead of waiting for its
/// deadline: the driver drops a query written to a closed connection without completing it.
@Suite(.enabled(if: PostgresTestServer.isAvailable, "needs PostgreSQL: BATON_TEST_POSTGRES_URL (scripts/test.sh starts one)"))
struct ConnectionWatchTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func connect(_ location: PostgresLocation, id: Int) async throws -> PostgresConnection {
        try await PostgresConnection.connect(configuration: try location.connectionConfiguration, id: id, logger: logger)
    }

    /// What the caller of `SELECT 1` on `connection` gets within `timeout`, with or without the watch.
    static func selectOne(
        on connection: PostgresConnection, location: PostgresLocation, watch: ConnectionWatch?, within timeout: Duration
    ) async -> Result<Int, any Error> {
        do {
            let value = try await Deadlines().run(within: timeout, location: location) { abandon in
                let select = {
                    var total = 0
                    for try await value in try await connection.query("SELECT 1", logger: logger).decode(Int.self) { total += value }
                    return total
                }
                guard let watch else { return try await select() }
                return try await watch.whileOpen(connection, location: location, abandon: abandon) { try await select() }
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    @Test func theDriverDropsAQueryOnAClosedConnection() async throws {
        // The premise of the watch: without it, the caller waits until its deadline.
        let location = try PostgresTestServer.location()
        let connection = try await Self.connect(location, id: 7_001)
        try await connection.close()
        let result = await Self.selectOne(on: connection, location: location, watch: nil, within: .milliseconds(500))
        guard case let .failure(error) = result else {
            Issue.record("the closed connection answered")
            return
        }
        #expect("\(error)".contains("did not answer within"), "\(error)")
    }

    @Test func anOperationOnAClosedConnectionFailsAtOnce() async throws {
        let location = try PostgresTestServer.location()
        let watch = ConnectionWatch()
        let connection = try await Self.connect(location, id: 7_002)
        // While it is open, operations through the watch return their results.
        for _ in 0..<3 {
            let result = await Self.selectOne(on: connection, location: location, watch: watch, within: .seconds(60))
            #expect(try result.get() == 1)
        }
        try await connection.close()
        // Twice: the first finds the connection watched and closed, the second registers anew.
        for _ in 0..<2 {
            let started = ContinuousClock.now
            let result = await Self.selectOne(on: connection, location: location, watch: watch, within: .seconds(60))
            guard case let .failure(error) = result else {
                Issue.record("the closed connection answered")
                return
            }
            #expect(error as? StoreError != nil, "\(error)")
            #expect("\(error)".contains("was lost in the middle of an operation"), "\(error)")
            // Not a speed check: far below the deadline, which the caller would otherwise reach.
            #expect(ContinuousClock.now - started < .seconds(50))
        }
    }
}
