import BatonCore
import Logging
import PostgresNIO

/// The tables of a Baton PostgreSQL store, as numbered migrations applied in order inside one
/// transaction under an advisory lock (so that processes opening the store at once migrate it
/// once). `schema_version` holds the number; a store whose number is higher than ``version`` was
/// written by a newer Baton and is refused.
///
/// JSON columns hold canonical JSON text (the hashes of the journal are computed over it, so it
/// is kept exactly as written); times are milliseconds since 1970.
enum PostgresSchema {
    static let version = 3

    /// The statements of migration `number` in `schema`.
    static func migration(_ number: Int, schema s: String) -> [String] {
        switch number {
        case 1:
            return [
                "CREATE TABLE \(s).workflows (hash TEXT PRIMARY KEY, name TEXT NOT NULL, version_label TEXT, format TEXT NOT NULL, source TEXT NOT NULL, location TEXT)",
                """
                CREATE TABLE \(s).runs (
                    id TEXT PRIMARY KEY, workflow_name TEXT NOT NULL, workflow_hash TEXT NOT NULL, status TEXT NOT NULL,
                    input TEXT NOT NULL, checkpoint TEXT NOT NULL, output TEXT, reason TEXT, parent TEXT,
                    cancel_requested BOOLEAN NOT NULL DEFAULT false, waiting_for TEXT NOT NULL DEFAULT '[]',
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, last_seq BIGINT NOT NULL, last_hash TEXT NOT NULL,
                    head_mac TEXT, tags TEXT NOT NULL DEFAULT '[]', checkpoint_count BIGINT NOT NULL DEFAULT 0,
                    lease_id TEXT, lease_host TEXT, lease_pid BIGINT, lease_expires_at BIGINT
                )
                """,
                "CREATE INDEX runs_by_created ON \(s).runs (created_at DESC, id DESC)",
                "CREATE INDEX runs_by_status ON \(s).runs (status, created_at DESC, id DESC)",
                "CREATE INDEX runs_by_workflow ON \(s).runs (workflow_name, created_at DESC, id DESC)",
                """
                CREATE TABLE \(s).events (
                    run TEXT NOT NULL, seq BIGINT NOT NULL, time BIGINT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
                    prev_hash TEXT NOT NULL, hash TEXT NOT NULL, mac TEXT, checkpoint TEXT, PRIMARY KEY (run, seq)
                )
                """,
                // Append-only: the hash chain detects edits; this refuses them.
                """
                CREATE FUNCTION \(s).events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the event journal is append-only'; END $$
                """,
                "CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON \(s).events FOR EACH ROW EXECUTE FUNCTION \(s).events_are_append_only()",
                """
                CREATE TABLE \(s).step_results (
                    position BIGSERIAL PRIMARY KEY, run TEXT NOT NULL, superstep INTEGER NOT NULL, key TEXT NOT NULL, result TEXT NOT NULL,
                    UNIQUE (run, superstep, key)
                )
                """,
                "CREATE TABLE \(s).effects (run TEXT NOT NULL, step TEXT NOT NULL, idx INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run, step, idx))",
                // Checkpoint records that no event carries (a commit without events).
                "CREATE TABLE \(s).checkpoints (run TEXT NOT NULL, n BIGINT NOT NULL, superstep INTEGER NOT NULL, time BIGINT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (run, n))",
                "CREATE TABLE \(s).signals (id BIGSERIAL PRIMARY KEY, run TEXT NOT NULL, name TEXT NOT NULL, payload TEXT NOT NULL, time BIGINT NOT NULL)",
                "CREATE INDEX signals_by_run ON \(s).signals (run, id)",
                """
                CREATE TABLE \(s).approvals (
                    id TEXT PRIMARY KEY, run TEXT NOT NULL, status TEXT NOT NULL, requested_at BIGINT NOT NULL, request TEXT NOT NULL, decision TEXT
                )
                """,
                "CREATE INDEX approvals_by_status ON \(s).approvals (status, requested_at DESC, id DESC)",
                "CREATE INDEX approvals_by_requested ON \(s).approvals (requested_at DESC, id DESC)",
                "CREATE TABLE \(s).response_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at BIGINT NOT NULL)",
                "CREATE INDEX response_cache_by_expiry ON \(s).response_cache (expires_at)",
            ]
        case 2:
            // The work queue: a run a worker may take from `ready_at` on (milliseconds since 1970),
            // when no live lease holds it; NULL while it waits for something from outside.
            return [
                "ALTER TABLE \(s).runs ADD COLUMN ready_at BIGINT",
                "UPDATE \(s).runs SET ready_at = updated_at WHERE status IN ('pending', 'running')",
                "CREATE INDEX runs_ready ON \(s).runs (ready_at, id) WHERE ready_at IS NOT NULL",
            ]
        case 3:
            // TRUNCATE passes row triggers by: refuse it too. (The workers' role gets its grants,
            // which make UPDATE and DELETE of events a permission error, after every migration.)
            return [
                "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON \(s).events FOR EACH STATEMENT EXECUTE FUNCTION \(s).events_are_append_only()",
            ]
        default:
            return []
        }
    }

    /// Brings `schema` to ``version``, creating it when it does not exist, and grants `workerRole`
    /// the workers' privileges. A schema already at ``version`` is only read, so that workers
    /// logged in as a role that may not change tables open it too.
    ///
    /// - Throws: ``StoreError/schemaTooNew(found:supported:)`` for a newer store;
    ///   ``StoreError/readOnly(_:)`` when the schema needs migrating and the role connected may
    ///   not change it.
    static func migrate(_ connection: PostgresConnection, schema: String, workerRole: String, logger: Logger) async throws {
        // Read first, taking no lock: a schema at this version needs nothing more.
        let current = try await foundVersion(connection, schema: schema, logger: logger)
        if current > version { throw StoreError.schemaTooNew(found: current, supported: version) }
        guard current < version else { return }
        do {
            // The workers' role in a statement of its own: creating it takes a lock shared by the
            // migrators of every schema, which a whole migration would hold until it commits
            // (stores opened at once in many schemas of a new cluster then queue one behind the other).
            try await connection.query(PostgresQuery(unsafeSQL: ensuringRole(workerRole)), logger: logger)
            try await connection.withTransaction(logger: logger) { connection in
                // One migrator at a time for this schema, across processes.
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("baton-migrate:" + schema)))", logger: logger)
                let found = try await foundVersion(connection, schema: schema, logger: logger)
                if found > version { throw StoreError.schemaTooNew(found: found, supported: version) }
                guard found < version else { return }
                try await connection.query(PostgresQuery(unsafeSQL: block(migrating: schema, from: found, grantingTo: workerRole)), logger: logger)
            }
        } catch {
            guard let refusal = permissionDenied(error) else { throw error }
            throw StoreError.readOnly(
                "schema \(schema) is at version \(current) and this Baton needs version \(version), but the role connected may not change it (\(refusal)): open the store once as the role that owns the schema (it migrates it), then start the workers"
            )
        }
    }

    /// Every statement that brings `schema` from version `found` to ``version`` and grants
    /// `role` its privileges, as one block: one round trip, where a statement each was some forty
    /// (on a loaded machine, each waits its turn for a thread on both sides).
    static func block(migrating schema: String, from found: Int, grantingTo role: String) -> String {
        let statements = [
            "CREATE SCHEMA IF NOT EXISTS \(schema)",
            "CREATE TABLE IF NOT EXISTS \(schema).schema_version (version INTEGER NOT NULL)",
        ]
            + ((found + 1)...max(found + 1, version)).flatMap { migration($0, schema: schema) }
            + grants(schema: schema, to: role)
            + ["DELETE FROM \(schema).schema_version", "INSERT INTO \(schema).schema_version (version) VALUES (\(version))"]
        return "DO $baton_migration$ BEGIN\n" + statements.map { $0 + ";\n" }.joined() + "END $baton_migration$"
    }

    /// The server's message when `error` is a refusal for want of a privilege (SQLSTATE 42501),
    /// thrown by a statement or inside a transaction.
    private static func permissionDenied(_ error: any Error) -> String? {
        let server = (error as? PSQLError) ?? ((error as? PostgresTransactionError)?.closureError as? PSQLError)
        guard let server, server.serverInfo?[.sqlState] == "42501" else { return nil }
        return server.serverInfo?[.message] ?? "permission denied"
    }

    /// The version `schema` is at: 0 when it has no tables yet.
    private static func foundVersion(_ connection: PostgresConnection, schema: String, logger: Logger) async throws -> Int {
        let table = "\(schema).schema_version"
        var exists = false
        for try await present in try await connection.query("SELECT to_regclass(\(table)) IS NOT NULL", logger: logger).decode(Bool.self) {
            exists = present
        }
        guard exists else { return 0 }
        var found = 0
        for try await version in try await connection.query("SELECT version FROM \(unescaped: schema).schema_version", logger: logger).decode(Int.self) {
            found = max(found, version)
        }
        return found
    }

    /// What the workers' role may do in `schema`: read and write every table except the event
    /// journal, which it may only read and append to, and the schema's version, which it may only
    /// read. The role exists by then (``ensuringRole(_:)``). Operators grant it to the login role
    /// their workers use: `GRANT baton_worker TO worker_login`.
    static func grants(schema s: String, to role: String) -> [String] {
        [
            "GRANT USAGE ON SCHEMA \(s) TO \(role)",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \(s) TO \(role)",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA \(s) TO \(role)",
            "REVOKE UPDATE, DELETE, TRUNCATE ON \(s).events FROM \(role)",
            "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON \(s).schema_version FROM \(role)",
        ]
    }

    /// Creates the workers' role (without login) unless it exists; fails with SQLSTATE 42501,
    /// saying what to do, when it is missing and the role connected may not create roles. Only a
    /// migrator that must create it takes the lock that serialises creators across schemas (two
    /// stores migrating at once must not both create it); the others, which find it, go on.
    static func ensuringRole(_ role: String) -> String {
        """
            DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN
                    PERFORM pg_advisory_xact_lock(hashtext('baton-migrate-roles'));
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN
                        IF EXISTS (SELECT FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
                            CREATE ROLE \(role) NOLOGIN;
                        ELSE
                            RAISE EXCEPTION USING ERRCODE = '42501',
                                MESSAGE = 'role \(role) does not exist and ' || current_user || ' may not create it: CREATE ROLE \(role) NOLOGIN first, or name an existing role with worker_role=';
                        END IF;
                    END IF;
                END IF;
            END $$
            """
    }
}
