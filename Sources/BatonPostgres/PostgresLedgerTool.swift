import BatonCore
import PostgresNIO

/// `ledger.append` on a table: records its arguments as one row of a ledger table in a
/// PostgreSQL store's schema, at most once per idempotency key, counting every arrival.
///
/// Rows are `(key, record, time, arrivals)`: the call's idempotency key, its arguments as
/// canonical JSON, milliseconds since 1970, and how many calls came with that key. A call whose
/// key is already there (a second arrival: a worker died between the write and its journal
/// commit, and another re-ran the step) changes nothing but `arrivals` and answers
/// `{"recorded": false, "duplicate": true}`; otherwise `{"recorded": true}`. It is
/// `side_effecting`: never retried automatically, always journaled, keyed.
///
/// The table is created on first use (by a role that may create tables in the schema; the
/// workers' role is granted what it needs). Its name starts with `ledger`, a prefix Baton never
/// gives its own tables.
public struct PostgresLedgerTool: Tool {
    public let contract: ToolContract
    public let store: PostgresStore
    /// The table's name, in the store's schema.
    public let table: String

    /// - Throws: ``ToolError/invalidContract(tool:reason:)`` for a table name that is not a
    ///   lower-case identifier starting with `ledger`.
    public init(store: PostgresStore, table: String, name: String = "ledger.append", description: String? = nil, risk: ToolRisk = .medium) throws {
        guard table.hasPrefix("ledger"), PostgresLocation.isIdentifier(table) else {
            throw ToolError.invalidContract(
                tool: name, reason: "ledger table '\(table)' must be a lower-case identifier starting with 'ledger' (letters, digits and _): ledger, ledger_payments"
            )
        }
        self.store = store
        self.table = table
        contract = .ledger(name: name, description: description ?? "Records its arguments (an object) as one row of the ledger table '\(table)', once per call.", risk: risk)
    }

    public func call(_ arguments: JSON, context: ToolContext) async throws -> JSON {
        let qualified = "\(store.s).\(table)"
        let record = arguments.canonicalString
        let key = context.idempotencyKey
        let time = Int64(EventDraft.now())
        let insert = { @Sendable (connection: PostgresConnection, logger: Logger) async throws -> Int? in
            do {
                let rows = try await connection.query("""
                    INSERT INTO \(unescaped: qualified) AS ledger (key, record, time) VALUES (\(key), \(record), \(time))
                    ON CONFLICT (key) DO UPDATE SET arrivals = ledger.arrivals + 1 RETURNING arrivals
                    """, logger: logger)
                var arrivals = 1
                for try await count in rows.decode(Int.self) { arrivals = count }
                return arrivals
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
                return nil  // no table yet
            }
        }
        var arrivals = try await store.read(insert)
        if arrivals == nil {
            try await createTable()
            arrivals = try await store.read(insert)
        }
        return (arrivals ?? 1) == 1 ? ["recorded": true] : ["recorded": false, "duplicate": true]
    }

    /// One row of the ledger: a call's idempotency key, its arguments, when it first arrived
    /// (milliseconds since 1970) and how many calls came with that key.
    public struct Entry: Sendable, Equatable {
        public let key: String
        public let record: JSON
        public let time: Int64
        public let arrivals: Int
    }

    /// Every row of the ledger, by key order (none before the first call creates the table):
    /// what a reconciliation, or a test that an effect happened exactly once, reads.
    public func entries() async throws -> [Entry] {
        let qualified = "\(store.s).\(table)"
        let table = self.table
        let rows = try await store.read { connection, logger in
            var rows: [(String, String, Int64, Int)] = []
            do {
                let query = PostgresQuery(unsafeSQL: "SELECT key, record, time, arrivals FROM \(qualified) ORDER BY key")
                for try await row in try await connection.query(query, logger: logger).decode((String, String, Int64, Int).self) { rows.append(row) }
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
                return rows  // no table yet
            }
            return rows
        }
        return try rows.map { key, record, time, arrivals in
            Entry(key: key, record: try ColumnJSON.parse(record, table: table, key: key, column: "record"), time: time, arrivals: arrivals)
        }
    }

    /// Creates the table unless another process just did, and grants the workers' role its use.
    private func createTable() async throws {
        let qualified = "\(store.s).\(table)"
        let role = store.location.workerRole
        try await store.transaction { connection, logger in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("baton-ledger:" + qualified)))", logger: logger)
            var exists = false
            for try await present in try await connection.query("SELECT to_regclass(\(qualified)) IS NOT NULL", logger: logger).decode(Bool.self) {
                exists = present
            }
            guard !exists else { return }
            try await connection.query(PostgresQuery(unsafeSQL: """
                CREATE TABLE \(qualified) (key TEXT PRIMARY KEY, record TEXT NOT NULL, time BIGINT NOT NULL, arrivals INTEGER NOT NULL DEFAULT 1)
                """), logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: """
                DO $$ BEGIN
                    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN GRANT SELECT, INSERT, UPDATE ON \(qualified) TO \(role); END IF;
                END $$
                """), logger: logger)
        }
    }
}
