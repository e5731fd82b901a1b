import BatonCore
import Logging
import PostgresNIO
import Synchronization

/// The shared store: runs, journals, checkpoints, effects, signals and approvals in a PostgreSQL
/// database that many engines, on many machines, use at once.
///
/// ```swift
/// let store = try await PostgresStore(url: "postgres://baton@db.internal/baton?sslmode=require")
/// let engine = Engine(store: store)
/// ```
///
/// The semantics are those of every ``Store`` (the conformance suite in `BatonTesting` proves
/// it): every method is one transaction; writes to a run take its row's lock, so that events
/// from several writers chain in commit order and a commit checks its lease against the row it
/// updates. Every error thrown is a ``StoreError`` (or `CancellationError`); none of the
/// driver's types escape, and no message holds the password.
public final class PostgresStore: Store, Sendable {
    public let location: PostgresLocation
    /// Authenticates the events and heads this store writes, when set (``AuditKey``).
    let auditKey: AuditKey?
    let client: PostgresClient
    let logger: Logger
    private let running: Task<Void, Never>
    private let deadlines = Deadlines()
    /// Lets go of operations on a connection that closed (see ``ConnectionWatch``).
    private let watch = ConnectionWatch()
    /// How long one operation may take before it fails with ``StoreError/unavailable(_:)`` (a
    /// connection that died mid-query can leave the driver waiting for ever).
    public let operationTimeout: Duration
    /// The schema, quoted for SQL.
    let s: String
    /// Where the journals of the runs this process's engines commit to end (see
    /// ``PostgresKnownHead``): at most ``knownHeadsLimit`` runs.
    let knownHeads = Mutex<[RunID: PostgresKnownHead]>([:])
    static let knownHeadsLimit = 10_000
    let oneStatementCommits = Atomic<Int>(0)
    let lockingCommits = Atomic<Int>(0)

    /// How many step commits this store made in one prepared statement, and how many in the
    /// locking transaction (another writer had appended, the lease changed hands, signals were
    /// consumed, a child run ended), since it opened: where the second grows with the first, runs
    /// are being written from more than one place.
    public var commitPaths: (oneStatement: Int, locking: Int) {
        (oneStatementCommits.load(ordering: .relaxed), lockingCommits.load(ordering: .relaxed))
    }

    /// Connects to `location` (a pool of up to `connections`), and creates or migrates its schema.
    ///
    /// - Throws: ``StoreError/unavailable(_:)`` when the server cannot be reached or refuses the
    ///   login, ``StoreError/schemaTooNew(found:supported:)`` for a schema written by a newer Baton,
    ///   ``StoreError/readOnly(_:)`` for a schema that needs migrating when the role connected may
    ///   not change it (workers log in as such a role: see ``PostgresLocation/workerRole``).
    public init(
        location: PostgresLocation, connections: Int = 10, auditKey: AuditKey? = nil, operationTimeout: Duration = .seconds(30), logger: Logger? = nil
    ) async throws {
        self.location = location
        self.operationTimeout = operationTimeout
        self.auditKey = auditKey
        self.logger = logger ?? Logger(label: "baton.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        var configuration = try location.configuration
        configuration.options.maximumConnections = max(1, connections)
        configuration.options.connectionIdleTimeout = .seconds(60)
        // The pool starts two timers (three tasks each) whenever it parks a connection: a
        // keep-alive one and, for a connection beyond the minimum, an idle one. That was a tenth
        // of a step's CPU. One connection is kept without an idle timer (one run at a time uses
        // only it), and the keep-alive query is the URL's `keepalive` choice, off by default.
        configuration.options.minimumConnections = 1
        // The one-statement commit is prepared once per connection with unqualified table names.
        configuration.options.additionalStartupParameters.append(("search_path", location.schema))
        configuration.options.keepAliveBehavior = location.keepAlive.map { .init(frequency: $0) }
        let client = PostgresClient(configuration: configuration, backgroundLogger: self.logger)
        self.client = client
        self.running = Task { await client.run() }
        self.s = "\"\(location.schema)\""
        guard PostgresLocation.isIdentifier(location.workerRole) else {
            running.cancel()
            throw StoreError.unavailable("worker role '\(location.workerRole)' must be a lower-case identifier: letters, digits and _, not starting with a digit")
        }
        // One direct connection first: a wrong address, user or database is reported at once (the
        // pool would retry), and the schema is migrated on it.
        do {
            let logger = self.logger
            let schema = self.s
            let workerRole = location.workerRole
            // Bounded like every operation: a server going down between the connection and the
            // migration's statements must not leave the caller waiting for ever.
            try await Self.mapping(location) {
                try await deadlines.run(within: operationTimeout, location: location) {
                    let connection = try await PostgresConnection.connect(configuration: try location.connectionConfiguration, id: 0, logger: logger)
                    do {
                        try await PostgresSchema.migrate(connection, schema: schema, workerRole: workerRole, logger: logger)
                    } catch {
                        try? await connection.close()
                        throw error
                    }
                    try await connection.close()
                }
            }
        } catch {
            running.cancel()
            throw error
        }
    }

    /// Connects to the store at `url` (see ``PostgresLocation``).
    public convenience init(url: String, connections: Int = 10, auditKey: AuditKey? = nil) async throws {
        try await self.init(location: try PostgresLocation(url: url), connections: connections, auditKey: auditKey)
    }

    deinit { running.cancel() }

    /// Closes the connections; calls after this fail with ``StoreError/unavailable(_:)``.
    public func close() {
        running.cancel()
    }

    /// The schema version this build writes.
    public static var schemaVersion: Int { PostgresSchema.version }

    /// Removes the schema and everything in it. For tests and for tearing a tenant down.
    public func dropSchema() async throws {
        try await read { connection, logger in
            try await connection.query("DROP SCHEMA IF EXISTS \(unescaped: self.s) CASCADE", logger: logger)
        }
    }

    // MARK: Access

    /// Runs `body` in one transaction on a pooled connection.
    @discardableResult
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T) async throws -> T {
        let logger = self.logger
        let client = self.client
        return try await Self.mapping(location) {
            try await deadlines.run(within: operationTimeout, location: location) { [watch, location] abandon in
                try await client.withConnection { connection in
                    // Watched from before BEGIN: that is the first write a closed connection drops.
                    try await watch.whileOpen(connection, location: location, abandon: abandon) {
                        try await connection.withTransaction(logger: logger) { connection in try await body(connection, logger) }
                    }
                }
            }
        }
    }

    /// Runs `body` on a pooled connection, outside an explicit transaction (one statement, or reads
    /// that need no snapshot across statements).
    @discardableResult
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T) async throws -> T {
        let logger = self.logger
        let client = self.client
        return try await Self.mapping(location) {
            try await deadlines.run(within: operationTimeout, location: location) { [watch, location] abandon in
                try await client.withConnection { connection in
                    try await watch.whileOpen(connection, location: location, abandon: abandon) { try await body(connection, logger) }
                }
            }
        }
    }

    /// Runs `body`, turning the driver's errors into ``StoreError``s that say what to do.
    static func mapping<T>(_ location: PostgresLocation, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw translated(error, location: location)
        }
    }

    /// What `error` means for the caller: our own errors as they were thrown (from inside a
    /// transaction, the driver wraps them), the driver's as ``StoreError``s.
    static func translated(_ error: any Error, location: PostgresLocation) -> any Error {
        switch error {
        case is StoreError, is ApprovalError, is CancellationError:
            return error
        case let failure as PostgresStoreFailure:
            return failure.storeError
        case let failure as ApprovalFailure:
            return failure.error
        case let transaction as PostgresTransactionError:
            if let inner = transaction.closureError ?? transaction.beginError ?? transaction.commitError {
                return translated(inner, location: location)
            }
            return StoreError.unavailable("PostgreSQL at \(location): a transaction failed")
        case let driver as PSQLError:
            if let inner = driver.underlying, inner is PostgresStoreFailure || inner is ApprovalFailure || inner is StoreError {
                return translated(inner, location: location)
            }
            return StoreError(driver, location: location)
        default:
            return StoreError.unavailable("PostgreSQL at \(location): \(error)")
        }
    }
}

/// A failure inside a transaction that must reach the caller as a particular ``StoreError``
/// (the driver wraps what a transaction's body throws).
struct PostgresStoreFailure: Error {
    var storeError: StoreError
}

extension StoreError {
    /// What a driver error means for the user, with the server's message and no password.
    init(_ error: PSQLError, location: PostgresLocation) {
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? ""
        switch error.code {
        case .server where state.hasPrefix("28"):
            self = .unavailable("PostgreSQL at \(location) refused the login of user '\(location.username)': \(message); check the user and password (PGPASSWORD)")
        case .server where state == "3D000":
            self = .unavailable("PostgreSQL at \(location): \(message); create the database first (createdb \(location.database))")
        case .server where state == "42501":
            self = .readOnly("PostgreSQL at \(location): \(message)")
        case .server where state == "P0001" && message.contains("append-only"):
            self = .readOnly("PostgreSQL at \(location): \(message)")
        case .server:
            self = .unavailable("PostgreSQL at \(location): \(message) (SQLSTATE \(state))")
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
            let cause = error.underlying.map { ": \($0)" } ?? ""
            self = .unavailable("cannot reach PostgreSQL at \(location)\(cause); check that the server runs and the URL's host and port")
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            self = .unavailable("PostgreSQL at \(location) asks for a login this client cannot give (\(error.code)); set a password in the URL or PGPASSWORD")
        case .sslUnsupported:
            self = .unavailable("PostgreSQL at \(location) does not offer TLS; use sslmode=disable or prefer")
        default:
            self = .unavailable("PostgreSQL at \(location): \(error.code)")
        }
    }
}
