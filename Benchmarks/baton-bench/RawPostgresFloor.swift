import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The physical floor of a durable step on PostgreSQL: single-row INSERTs, each its own
/// transaction (an autocommit INSERT: one round trip, one WAL flush at commit, the least a
/// durable commit can cost), through postgres-nio directly on one `PostgresConnection`, the
/// driver `PostgresStore` uses. Over the Unix socket or over TCP (the URL's host and port), in a
/// schema of its own that ``close(checkingFor:server:)`` drops. The row is the size of
/// ``RawSQLiteFloor``'s.
struct RawPostgresFloor {
    /// How the connection reaches the server.
    enum Transport: String, CaseIterable, Sendable {
        case socket, tcp
    }

    /// The server's settings that decide what a commit costs, read when connecting.
    struct Settings: Sendable {
        var synchronousCommit: String
        var fsync: String
        var walSyncMethod: String
        var serverVersion: String
    }

    let transport: Transport
    let settings: Settings
    private let connection: PostgresConnection
    private let logger = Logger(label: "baton-bench.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    /// The schema, quoted for SQL.
    private let schema: String
    private let payload = String(repeating: "x", count: RawSQLiteFloor.rowBytes)
    private(set) var inserted = 0

    /// Why `transport` cannot be measured on `server`, or `nil` if it can.
    static func unavailability(of transport: Transport, on server: BenchPostgres) -> String? {
        switch transport {
        case .socket where server.socketDirectory == nil:
            return "the socket directory is not known: the URL's host is an address; set BATON_BENCH_POSTGRES_SOCKET"
        case .tcp where server.location.socketDirectory != nil:
            return "the URL names a socket directory, not a TCP address"
        default:
            return nil
        }
    }

    /// Connects over `transport` and creates a fresh schema with one table.
    init(_ transport: Transport, server: BenchPostgres, workload: String) async throws {
        self.transport = transport
        let location = server.location
        var configuration: PostgresConnection.Configuration
        switch transport {
        case .socket:
            configuration = PostgresConnection.Configuration(
                unixSocketPath: "\(server.socketDirectory ?? location.host)/.s.PGSQL.\(location.port)",
                username: location.username, password: location.password, database: location.database
            )
        case .tcp:
            let tls: PostgresConnection.Configuration.TLS
            switch location.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = PostgresConnection.Configuration(
                host: location.host, port: location.port, username: location.username, password: location.password, database: location.database, tls: tls
            )
        }
        configuration.options.connectTimeout = .seconds(10)
        let schema = "\"\(try server.freshLocation(prefix: "bench_floor").schema)\""
        let logger = self.logger
        let connection = try await Self.reporting(transport, server, workload) { [configuration] in
            try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        }
        self.connection = connection
        self.schema = schema
        do {
            settings = try await Self.reporting(transport, server, workload) {
                try await connection.query("CREATE SCHEMA \(unescaped: schema)", logger: logger)
                try await connection.query(
                    "CREATE TABLE \(unescaped: schema).t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, run text NOT NULL, data text NOT NULL)",
                    logger: logger
                )
                let rows = try await connection.query("""
                    SELECT current_setting('synchronous_commit'), current_setting('fsync'), current_setting('wal_sync_method'),
                        current_setting('server_version')
                    """, logger: logger)
                for try await (commit, fsync, method, version) in rows.decode((String, String, String, String).self) {
                    return Settings(synchronousCommit: commit, fsync: fsync, walSyncMethod: method, serverVersion: version)
                }
                throw BenchFailure(workload: workload, "the server returned no settings")
            }
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Times `commits` transactions of one row each.
    mutating func measure(commits: Int) async throws -> Figure {
        let runs = (inserted..<(inserted + commits)).map { "run_\($0)" }
        let (connection, logger, payload) = (self.connection, self.logger, self.payload)
        let table = "\(schema).t"
        let figure = try await Meter.measure(ops: commits, unit: "commit") {
            for run in runs {
                try await connection.query("INSERT INTO \(unescaped: table) (run, data) VALUES (\(run), \(payload))", logger: logger)
            }
        }
        inserted += commits
        return figure
    }

    /// Checks that every row is there, drops the schema and closes the connection.
    func close(checkingFor workload: String, server: BenchPostgres) async throws {
        let (connection, logger, schema) = (self.connection, self.logger, self.schema)
        let rows: Int
        do {
            rows = try await Self.reporting(transport, server, workload) {
                let result = try await connection.query("SELECT count(*), count(DISTINCT run) FROM \(unescaped: schema).t", logger: logger)
                var counted = -1
                for try await (all, distinct) in result.decode((Int, Int).self) { counted = all == distinct ? all : -all }
                try await connection.query("DROP SCHEMA \(unescaped: schema) CASCADE", logger: logger)
                return counted
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
        try expect(rows == inserted, in: workload, "the raw PostgreSQL table (\(transport.rawValue)) holds \(rows) rows (negative: duplicates), expected \(inserted)")
    }

    /// Runs `body`, turning the driver's errors into a ``BenchFailure`` that says what failed
    /// (with the server's message, and no password).
    private static func reporting<T>(_ transport: Transport, _ server: BenchPostgres, _ workload: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let failure as BenchFailure {
            throw failure
        } catch let error as PSQLError {
            let message = error.serverInfo?[.message].map { ": \($0)" } ?? error.underlying.map { ": \($0)" } ?? ""
            throw BenchFailure(workload: workload, "PostgreSQL at \(server.server) over \(transport.rawValue): \(error.code)\(message)")
        } catch {
            throw BenchFailure(workload: workload, "PostgreSQL at \(server.server) over \(transport.rawValue): \(error)")
        }
    }
}
