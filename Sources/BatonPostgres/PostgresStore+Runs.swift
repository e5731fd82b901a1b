import BatonCore
import PostgresNIO

/// Workflows, creating runs, reading and listing them, leases and cancel requests.
extension PostgresStore {
    public func saveWorkflow(_ workflow: StoredWorkflow) async throws {
        try await read { connection, logger in
            try await connection.query("""
                INSERT INTO \(unescaped: self.s).workflows (hash, name, version_label, format, source, location)
                VALUES (\(workflow.hash), \(workflow.name), \(workflow.versionLabel), \(workflow.format), \(workflow.source), \(workflow.location))
                ON CONFLICT (hash) DO UPDATE SET name = excluded.name, version_label = excluded.version_label, format = excluded.format,
                    source = excluded.source, location = excluded.location
                """, logger: logger)
        }
    }

    public func workflow(hash: String) async throws -> StoredWorkflow? {
        try await read { connection, logger in
            let rows = try await connection.query(
                "SELECT name, version_label, format, source, location FROM \(unescaped: self.s).workflows WHERE hash = \(hash)", logger: logger
            )
            for try await (name, label, format, source, location) in rows.decode((String, String?, String, String, String?).self) {
                return StoredWorkflow(hash: hash, name: name, versionLabel: label, format: format, source: source, location: location)
            }
            return nil
        }
    }

    public func createRun(_ run: RunRecord, events: [EventDraft]) async throws {
        // A new run's chain starts at the genesis: its events can be sealed before the transaction.
        let (sealed, dataTexts) = EventChain.sealForWriting(events, run: run.id, after: 0, lastHash: EventChain.genesis, key: auditKey)
        let head = ChainHead(run: run.id, seq: sealed.last?.seq ?? 0, hash: sealed.last?.hash ?? EventChain.genesis, authenticatedBy: auditKey)
        let checkpoint = RecordText.checkpoint(run.checkpoint)
        let firstRecord = RecordText.record(CheckpointRecord.initial(run.checkpoint, time: run.createdAt))
        let waitingFor = JSON.array(run.waitingFor.map(RecordCoding.json)).canonicalString
        let parent = run.parent.map { RecordCoding.json($0).canonicalString }
        let tags = JSON.array(run.tags.map(JSON.string)).canonicalString
        // One statement: the row, then its first events (or its first checkpoint record), and the
        // notification of a pending run, all only if the row was new.
        var statement = PostgresStatement()
        let id = statement.bind(run.id.rawValue)
        let leasePID: Int64? = run.leaseOwner.map { Int64($0.pid) }
        let readyAt: Int64? = run.status == .pending || run.status == .running ? run.createdAt : nil
        let values = [
            id, statement.bind(run.workflowName), statement.bind(run.workflowHash), statement.bind(run.status.rawValue),
            statement.bind(run.input.canonicalString), statement.bind(checkpoint), statement.bind(run.output?.canonicalString),
            statement.bind(run.reason), statement.bind(parent), statement.bind(run.cancelRequested), statement.bind(waitingFor),
            statement.bind(run.createdAt), statement.bind(run.updatedAt), statement.bind(Int64(head.seq)), statement.bind(head.hash),
            statement.bind(head.mac), statement.bind(tags), "1", statement.bind(run.leaseOwner?.id), statement.bind(run.leaseOwner?.host),
            statement.bind(leasePID), statement.bind(run.leaseExpiresAt), statement.bind(readyAt),
        ]
        var sql = """
            WITH created AS (
                INSERT INTO \(s).runs (id, workflow_name, workflow_hash, status, input, checkpoint, output, reason, parent,
                    cancel_requested, waiting_for, created_at, updated_at, last_seq, last_hash, head_mac, tags, checkpoint_count,
                    lease_id, lease_host, lease_pid, lease_expires_at, ready_at)
                VALUES (\(values.joined(separator: ", ")))
                ON CONFLICT (id) DO NOTHING RETURNING id
            )
            """
        if sealed.isEmpty {
            sql += """
                , recorded AS (
                    INSERT INTO \(s).checkpoints (run, n, superstep, time, record)
                    SELECT id, 1, \(statement.bind(run.checkpoint.superstep)), \(statement.bind(run.createdAt)), \(statement.bind(firstRecord)) FROM created
                )
                """
        } else {
            sql += """
                , appended AS (
                    INSERT INTO \(s).events (\(PostgresJournal.rowColumns))
                    SELECT * FROM (VALUES \(PostgresJournal.values(sealed, dataTexts: dataTexts, checkpoint: firstRecord, &statement))) AS e(\(PostgresJournal.rowColumns))
                    WHERE EXISTS (SELECT FROM created)
                )
                """
        }
        let notify = run.status == .pending ? ", pg_notify(\(statement.bind(PostgresWorkQueue.channel(schema: s))), id)" : ""
        statement.sql = sql + " SELECT id\(notify) FROM created"
        let query = statement.query
        let created = try await read { connection, logger in
            var created = false
            for try await _ in try await connection.query(query, logger: logger) { created = true }
            return created
        }
        guard created else { throw StoreError.runAlreadyExists(run.id) }
        if let owner = run.leaseOwner {
            let known = PostgresKnownHead(seq: head.seq, hash: head.hash, leaseID: owner.id, authenticated: head.mac != nil, waitedOnByParent: run.parent?.relation == .child)
            remember(run.id, known)
        }
    }

    public func run(_ id: RunID) async throws -> RunRecord? {
        let row = try await read { connection, logger in
            try await self.runRow(id, connection, logger, locking: false)
        }
        return try row?.record()
    }

    public func runs(_ query: RunQuery) async throws -> [RunRecord] {
        let rows = try await read { connection, logger in
            let sql: PostgresQuery
            let limit = max(0, query.limit)
            let columns = PostgresRunRow.columns
            switch (query.status?.rawValue, query.workflow) {
            case let (status?, workflow?):
                sql = "SELECT \(unescaped: columns) FROM \(unescaped: self.s).runs WHERE status = \(status) AND workflow_name = \(workflow) ORDER BY created_at DESC, id DESC LIMIT \(limit)"
            case let (status?, nil):
                sql = "SELECT \(unescaped: columns) FROM \(unescaped: self.s).runs WHERE status = \(status) ORDER BY created_at DESC, id DESC LIMIT \(limit)"
            case let (nil, workflow?):
                sql = "SELECT \(unescaped: columns) FROM \(unescaped: self.s).runs WHERE workflow_name = \(workflow) ORDER BY created_at DESC, id DESC LIMIT \(limit)"
            case (nil, nil):
                sql = "SELECT \(unescaped: columns) FROM \(unescaped: self.s).runs ORDER BY created_at DESC, id DESC LIMIT \(limit)"
            }
            var rows: [PostgresRunRow] = []
            for try await row in try await connection.query(sql, logger: logger) { rows.append(try PostgresRunRow(row)) }
            return rows
        }
        return try rows.map { try $0.record() }
    }

    func runRow(_ id: RunID, _ connection: PostgresConnection, _ logger: Logger, locking: Bool) async throws -> PostgresRunRow? {
        let rows = try await connection.query(
            "SELECT \(unescaped: PostgresRunRow.columns) FROM \(unescaped: s).runs WHERE id = \(id.rawValue)\(unescaped: locking ? " FOR UPDATE" : "")",
            logger: logger
        )
        for try await row in rows { return try PostgresRunRow(row) }
        return nil
    }

    // MARK: Leases

    public func acquireLease(run id: RunID, owner: LeaseOwner, duration: Duration) async throws -> RunRecord {
        let row = try await transaction { connection, logger in
            guard var row = try await self.runRow(id, connection, logger, locking: true) else { throw PostgresStoreFailure(storeError: .runNotFound(id)) }
            let now = EventDraft.now()
            if row.isLeased(byOtherThan: owner, now: now), let holder = row.leaseOwner {
                throw PostgresStoreFailure(storeError: .leaseHeld(id, by: holder.description))
            }
            row.leaseID = owner.id
            row.leaseHost = owner.host
            row.leasePID = Int64(owner.pid)
            row.leaseExpiresAt = now + Int64(duration.seconds * 1000)
            try await connection.query("""
                UPDATE \(unescaped: self.s).runs SET lease_id = \(row.leaseID), lease_host = \(row.leaseHost), lease_pid = \(row.leasePID),
                    lease_expires_at = \(row.leaseExpiresAt) WHERE id = \(id.rawValue)
                """, logger: logger)
            return row
        }
        let record = try row.record()
        remember(id, PostgresKnownHead(seq: record.lastSeq, hash: record.lastHash, leaseID: owner.id, authenticated: row.headMAC != nil, waitedOnByParent: record.parent?.relation == .child))
        return record
    }

    public func releaseLease(run id: RunID, owner: LeaseOwner) async throws {
        try await read { connection, logger in
            try await connection.query("""
                UPDATE \(unescaped: self.s).runs SET lease_id = NULL, lease_host = NULL, lease_pid = NULL, lease_expires_at = NULL,
                    ready_at = CASE WHEN status IN ('pending', 'running') THEN \(EventDraft.now()) ELSE ready_at END
                WHERE id = \(id.rawValue) AND lease_id = \(owner.id)
                """, logger: logger)
        }
    }

    public func requestCancel(run id: RunID, reason: String) async throws -> RunRecord {
        let key = auditKey
        let row = try await transaction { connection, logger in
            guard var row = try await self.runRow(id, connection, logger, locking: true) else { throw PostgresStoreFailure(storeError: .runNotFound(id)) }
            guard let status = RunStatus(rawValue: row.status) else {
                throw PostgresStoreFailure(storeError: .corrupted("table runs, row \(id), column status: unknown status '\(row.status)'"))
            }
            if status.isTerminal { return row }
            let now = EventDraft.now()
            var drafts = [EventDraft(.runCancelRequested, ["reason": .string(reason)], time: now)]
            row.cancelRequested = true
            if !row.isLeased(byOtherThan: nil, now: now) {
                row.status = RunStatus.cancelled.rawValue
                row.reason = reason
                row.waitingFor = "[]"
                drafts.append(EventDraft(.runCancelled, ["reason": .string(reason)], time: now))
            }
            let sealed = try await PostgresJournal.append(drafts, run: id, after: row.head, key: key, schema: self.s, connection, logger)
            let moved = ChainHead(run: id, seq: sealed.last?.seq ?? Int(row.lastSeq), hash: sealed.last?.hash ?? row.lastHash, authenticatedBy: key)
            row.lastSeq = Int64(moved.seq)
            row.lastHash = moved.hash
            row.headMAC = moved.mac
            row.updatedAt = now
            try await connection.query("""
                UPDATE \(unescaped: self.s).runs SET cancel_requested = true, status = \(row.status), reason = \(row.reason), waiting_for = \(row.waitingFor),
                    last_seq = \(row.lastSeq), last_hash = \(row.lastHash), head_mac = \(row.headMAC), updated_at = \(row.updatedAt),
                    ready_at = CASE WHEN \(row.status) = 'cancelled' THEN NULL ELSE ready_at END
                WHERE id = \(id.rawValue)
                """, logger: logger)
            return row
        }
        return try row.record()
    }
}
