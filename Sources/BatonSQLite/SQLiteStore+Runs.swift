import BatonCore
import GRDB

/// Workflows, creating runs, reading and listing them.
extension SQLiteStore {
    public func saveWorkflow(_ workflow: StoredWorkflow) async throws {
        try await write { db in
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO workflows (hash, name, version_label, format, source, location) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [workflow.hash, workflow.name, workflow.versionLabel, workflow.format, workflow.source, workflow.location])
        }
    }

    public func workflow(hash: String) async throws -> StoredWorkflow? {
        try await read { db in
            let statement = try db.cachedStatement(sql: "SELECT name, version_label, format, source, location FROM workflows WHERE hash = ?")
            guard let row = try Row.fetchOne(statement, arguments: [hash]) else { return nil }
            let reader = RowReader(row: row, table: "workflows", key: hash)
            return StoredWorkflow(
                hash: hash, name: try reader.text(0, "name"), versionLabel: try reader.optionalText(1, "version_label"),
                format: try reader.text(2, "format"), source: try reader.text(3, "source"), location: try reader.optionalText(4, "location")
            )
        }
    }

    public func createRun(_ run: RunRecord, events: [EventDraft]) async throws {
        // A new run's chain starts at the genesis: its events can be sealed before the transaction.
        let (sealed, dataTexts) = EventChain.sealForWriting(events, run: run.id, after: 0, lastHash: EventChain.genesis, key: auditKey)
        let head = ChainHead(run: run.id, seq: sealed.last?.seq ?? 0, hash: sealed.last?.hash ?? EventChain.genesis, authenticatedBy: auditKey)
        var columns = RunRow(run)
        columns.lastSeq = Int64(head.seq)
        columns.lastHash = head.hash
        columns.headMAC = head.mac
        let firstCheckpoint = RecordText.record(CheckpointRecord.initial(run.checkpoint, time: run.createdAt))
        try await write { [columns] db in
            let exists = try db.cachedStatement(sql: "SELECT 1 FROM runs WHERE id = ?")
            if try Bool.fetchOne(exists, arguments: [run.id.rawValue]) != nil { throw StoreError.runAlreadyExists(run.id) }
            try db.cachedStatement(sql: RunRow.insertSQL).execute(arguments: columns.arguments)
            try Journal.insert(sealed, dataTexts: dataTexts, checkpoint: firstCheckpoint, db)
            if sealed.isEmpty {
                try Journal.insertUncarried(checkpoint: firstCheckpoint, run: run.id, n: 1, superstep: run.checkpoint.superstep, time: run.createdAt, db)
            }
        }
    }

    public func run(_ id: RunID) async throws -> RunRecord? {
        let row = try await read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(RunRow.columns) FROM runs WHERE id = ?"), arguments: [id.rawValue])
                .map(RunRow.init)
        }
        return try mapped { try row?.record() }
    }

    public func runs(_ query: RunQuery) async throws -> [RunRecord] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let status = query.status {
            conditions.append("status = ?")
            arguments += [status.rawValue]
        }
        if let workflow = query.workflow {
            conditions.append("workflow_name = ?")
            arguments += [workflow]
        }
        arguments += [max(0, query.limit)]
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT \(RunRow.columns) FROM runs \(filter) ORDER BY created_at DESC, id DESC LIMIT ?"
        let rows = try await read { [arguments] db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(RunRow.init)
        }
        return try mapped { try rows.map { try $0.record() } }
    }
}
