import GRDB

/// The tables of a Baton SQLite store, as named, registered migrations. Each migration sets
/// `PRAGMA user_version` to its number; a store whose version is higher than ``version`` was
/// written by a newer Baton and is refused before anything is changed.
enum Schema {
    /// The newest schema this build reads and writes.
    static let version = 6

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 runs, events, steps, effects, checkpoints, signals") { db in
            try db.execute(sql: v1)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v2 response cache") { db in
            try db.execute(sql: v2)
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        migrator.registerMigration("v3 checkpoint history beside its events") { db in
            try db.execute(sql: v3)
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        migrator.registerMigration("v4 approval requests") { db in
            try db.execute(sql: v4)
            try db.execute(sql: "PRAGMA user_version = 4")
        }
        migrator.registerMigration("v5 audit MACs") { db in
            try db.execute(sql: v5)
            try db.execute(sql: "PRAGMA user_version = 5")
        }
        migrator.registerMigration("v6 run tags") { db in
            try db.execute(sql: v6)
            try db.execute(sql: "PRAGMA user_version = 6")
        }
        return migrator
    }

    /// With an audit key, each event's MAC (of its hash) and the MAC of the run's head (of its id,
    /// `last_seq` and `last_hash`), so that the journal cannot be rewritten, nor its end cut off,
    /// by someone without the key. Both are NULL for what was written without a key, as in every
    /// row written before this version: such runs verify as they did, by their hashes.
    /// The labels a run was started with, a JSON array of strings, for policies to match on.
    private static let v6 = """
        ALTER TABLE runs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
        """

    private static let v5 = """
        ALTER TABLE events ADD COLUMN mac TEXT;
        ALTER TABLE runs ADD COLUMN head_mac TEXT;
        """

    /// Approval requests and their decisions: a parked run's request is a row here (and its
    /// events in the journal), so listing the pending ones reads one index.
    private static let v4 = """
        CREATE TABLE approvals (
            id TEXT PRIMARY KEY NOT NULL,
            run TEXT NOT NULL,
            status TEXT NOT NULL,
            requested_at INTEGER NOT NULL,
            request TEXT NOT NULL,
            decision TEXT
        );
        CREATE INDEX approvals_by_status ON approvals (status, requested_at DESC, id DESC);
        CREATE INDEX approvals_by_requested ON approvals (requested_at DESC, id DESC);
        """

    /// Each checkpoint's history record is kept in the row of the last event its commit wrote,
    /// instead of a table of its own: a step's commit then appends to one b-tree instead of two,
    /// about two fewer pages written per step (the `checkpoints` table keeps the records written
    /// before this version, and any commit that has no event to carry its record).
    private static let v3 = """
        ALTER TABLE events ADD COLUMN checkpoint TEXT;
        """

    /// The response cache of agents (model answers, pure tools' results), by content address.
    private static let v2 = """
        CREATE TABLE response_cache (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX response_cache_by_expiry ON response_cache (expires_at);
        """

    /// JSON columns hold canonical JSON text; times are milliseconds since 1970.
    private static let v1 = """
        CREATE TABLE workflows (
            hash TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            version_label TEXT,
            format TEXT NOT NULL,
            source TEXT NOT NULL,
            location TEXT
        );

        CREATE TABLE runs (
            id TEXT PRIMARY KEY NOT NULL,
            workflow_name TEXT NOT NULL,
            workflow_hash TEXT NOT NULL,
            status TEXT NOT NULL,
            input TEXT NOT NULL,
            checkpoint TEXT NOT NULL,
            output TEXT,
            reason TEXT,
            parent TEXT,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            waiting_for TEXT NOT NULL DEFAULT '[]',
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            last_hash TEXT NOT NULL,
            checkpoint_count INTEGER NOT NULL DEFAULT 0,
            lease_id TEXT,
            lease_host TEXT,
            lease_pid INTEGER,
            lease_expires_at INTEGER
        );
        CREATE INDEX runs_by_created ON runs (created_at DESC, id DESC);
        CREATE INDEX runs_by_status ON runs (status, created_at DESC, id DESC);
        CREATE INDEX runs_by_workflow ON runs (workflow_name, created_at DESC, id DESC);

        -- The journal: clustered by (run, seq) so that paging through a run is one range scan.
        CREATE TABLE events (
            run TEXT NOT NULL,
            seq INTEGER NOT NULL,
            time INTEGER NOT NULL,
            type TEXT NOT NULL,
            data TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            PRIMARY KEY (run, seq)
        ) WITHOUT ROWID;
        -- Append-only: the hash chain detects edits, these triggers refuse them.
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'the event journal is append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'the event journal is append-only'); END;

        -- Results of the current superstep; position (the rowid) keeps the order of first commit.
        CREATE TABLE step_results (
            position INTEGER PRIMARY KEY,
            run TEXT NOT NULL,
            superstep INTEGER NOT NULL,
            key TEXT NOT NULL,
            result TEXT NOT NULL,
            UNIQUE (run, superstep, key)
        );

        CREATE TABLE effects (
            run TEXT NOT NULL,
            step TEXT NOT NULL,
            idx INTEGER NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run, step, idx)
        ) WITHOUT ROWID;

        -- Checkpoint history: the n-th checkpoint of each run (from 1, counted by
        -- runs.checkpoint_count), each record keeping the writes that led to it. Clustered by run:
        -- one b-tree to append to per step, none to index.
        CREATE TABLE checkpoints (
            run TEXT NOT NULL,
            n INTEGER NOT NULL,
            superstep INTEGER NOT NULL,
            time INTEGER NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (run, n)
        ) WITHOUT ROWID;

        CREATE TABLE signals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run TEXT NOT NULL,
            name TEXT NOT NULL,
            payload TEXT NOT NULL,
            time INTEGER NOT NULL
        );
        CREATE INDEX signals_by_run ON signals (run, id);
        """
}
