import BatonCore
import PostgresNIO

/// The journal, the checkpoint history and the signal mailbox.
extension PostgresStore {
    public func appendEvents(run id: RunID, _ events: [EventDraft]) async throws {
        let key = auditKey
        try await transaction { connection, logger in
            let head = try await PostgresRunHead.lock(id, schema: self.s, connection, logger)
            let sealed = try await PostgresJournal.append(events, run: id, after: head, key: key, schema: self.s, connection, logger)
            try await PostgresJournal.advanceHead(id, to: sealed, key: key, schema: self.s, connection, logger)
        }
    }

    public func events(run: RunID, after: Int, limit: Int) async throws -> [Event] {
        try await read { connection, logger in
            let rows = try await connection.query("""
                SELECT \(unescaped: PostgresJournal.columns) FROM \(unescaped: self.s).events
                WHERE run = \(run.rawValue) AND seq > \(after) ORDER BY seq LIMIT \(max(0, limit))
                """, logger: logger)
            return try await PostgresJournal.events(rows, run: run)
        }
    }

    public func auditTrail(run: RunID) async throws -> AuditTrail {
        try await transaction { connection, logger in
            // One snapshot for the head and the events.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger: logger)
            let heads = try await connection.query(
                "SELECT last_seq, last_hash, head_mac FROM \(unescaped: self.s).runs WHERE id = \(run.rawValue)", logger: logger
            )
            var head: ChainHead?
            for try await (seq, hash, mac) in heads.decode((Int64, String, String?).self) {
                head = ChainHead(run: run, seq: Int(seq), hash: hash, mac: mac)
            }
            guard let head else { throw PostgresStoreFailure(storeError: .runNotFound(run)) }
            let rows = try await connection.query(
                "SELECT \(unescaped: PostgresJournal.columns) FROM \(unescaped: self.s).events WHERE run = \(run.rawValue) ORDER BY seq", logger: logger
            )
            return AuditTrail(head: head, events: try await PostgresJournal.events(rows, run: run))
        }
    }

    /// The records carried by events, and those of commits without events, in superstep order.
    public func checkpoints(run: RunID) async throws -> [CheckpointRecord] {
        let texts = try await read { connection, logger in
            let rows = try await connection.query("""
                SELECT 'events', seq, checkpoint FROM \(unescaped: self.s).events WHERE run = \(run.rawValue) AND checkpoint IS NOT NULL
                UNION ALL
                SELECT 'checkpoints', n, record FROM \(unescaped: self.s).checkpoints WHERE run = \(run.rawValue)
                """, logger: logger)
            var found: [(String, Int64, String)] = []
            for try await row in rows.decode((String, Int64, String).self) { found.append(row) }
            return found
        }
        let records = try texts.map { table, position, text in
            try ColumnJSON.decode(text, table: table, key: "\(run.rawValue)#\(position)", column: table == "events" ? "checkpoint" : "record", RecordCoding.checkpointRecord)
        }
        return records.enumerated().sorted { ($0.element.superstep, $0.offset) < ($1.element.superstep, $1.offset) }.map(\.element)
    }

    public func deliverSignal(run id: RunID, name: String, payload: JSON) async throws {
        let text = payload.canonicalString
        let key = auditKey
        try await transaction { connection, logger in
            let head = try await PostgresRunHead.lock(id, schema: self.s, connection, logger)
            let time = EventDraft.now()
            try await connection.query(
                "INSERT INTO \(unescaped: self.s).signals (run, name, payload, time) VALUES (\(id.rawValue), \(name), \(text), \(time))", logger: logger
            )
            let sealed = try await PostgresJournal.append(
                [EventDraft(.signalReceived, ["name": .string(name), "payload": payload], time: time)], run: id, after: head, key: key,
                schema: self.s, connection, logger
            )
            try await PostgresJournal.advanceHead(id, to: sealed, key: key, schema: self.s, connection, logger)
            try await PostgresWorkQueue.wake(id, schema: self.s, connection, logger)
        }
    }

    public func signals(run: RunID) async throws -> [SignalRecord] {
        let rows = try await read { connection, logger in
            let rows = try await connection.query(
                "SELECT id, name, payload, time FROM \(unescaped: self.s).signals WHERE run = \(run.rawValue) ORDER BY id", logger: logger
            )
            var found: [(Int64, String, String, Int64)] = []
            for try await row in rows.decode((Int64, String, String, Int64).self) { found.append(row) }
            return found
        }
        return try rows.map { id, name, payload, time in
            SignalRecord(
                id: id, run: run, name: name,
                payload: try ColumnJSON.parse(payload, table: "signals", key: "\(run.rawValue)#\(id)", column: "payload"), time: time
            )
        }
    }
}
