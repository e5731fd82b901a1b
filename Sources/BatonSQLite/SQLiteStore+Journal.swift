import BatonCore
import GRDB

/// The journal, the checkpoint history and the signal mailbox.
extension SQLiteStore {
    public func appendEvents(run id: RunID, _ events: [EventDraft]) async throws {
        let key = auditKey
        try await write { db in
            let head = try RunHead.fetch(db, id)
            let sealed = try Journal.append(events, run: id, after: head, key: key, db)
            try Journal.advanceHead(id, to: sealed, key: key, db)
        }
    }

    public func events(run: RunID, after: Int, limit: Int) async throws -> [Event] {
        let rows = try await read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Journal.columns) FROM events WHERE run = ? AND seq > ? ORDER BY seq LIMIT ?")
            return try Row.fetchAll(statement, arguments: [run.rawValue, after, max(0, limit)]).map { try EventRow($0, run: run) }
        }
        return try mapped { try rows.map { try $0.event(run: run) } }
    }

    public func auditTrail(run: RunID) async throws -> AuditTrail {
        let (head, rows) = try await read { db in
            let statement = try db.cachedStatement(sql: "SELECT last_seq, last_hash, head_mac FROM runs WHERE id = ?")
            guard let row = try Row.fetchOne(statement, arguments: [run.rawValue]) else { throw StoreError.runNotFound(run) }
            let reader = RowReader(row: row, table: "runs", key: run.rawValue)
            guard let seq = Int(exactly: try reader.integer(0, "last_seq")) else { throw reader.corrupted("last_seq", "out of range") }
            let head = ChainHead(run: run, seq: seq, hash: try reader.text(1, "last_hash"), mac: try reader.optionalText(2, "head_mac"))
            let events = try db.cachedStatement(sql: "SELECT \(Journal.columns) FROM events WHERE run = ? ORDER BY seq")
            return (head, try Row.fetchAll(events, arguments: [run.rawValue]).map { try EventRow($0, run: run) })
        }
        return AuditTrail(head: head, events: try mapped { try rows.map { try $0.event(run: run) } })
    }

    /// The records carried by events (schema 3 on), and those of the `checkpoints` table (written
    /// before schema 3, or by a commit without events), in superstep order.
    public func checkpoints(run: RunID) async throws -> [CheckpointRecord] {
        let sources = [
            (table: "checkpoints", position: "n", record: "record"), (table: "events", position: "seq", record: "checkpoint"),
        ]
        let rows = try await read { db in
            try sources.flatMap { source in
                let sql = "SELECT \(source.position), \(source.record) FROM \(source.table) WHERE run = ? AND \(source.record) IS NOT NULL ORDER BY \(source.position)"
                return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: [run.rawValue]).map { row in
                    let reader = RowReader(row: row, table: source.table, key: run.rawValue)
                    return (source, try reader.integer(0, source.position), try reader.text(1, source.record))
                }
            }
        }
        let records = try mapped {
            try rows.map { source, position, text in
                try ColumnJSON.decode(text, table: source.table, key: "\(run.rawValue)#\(position)", column: source.record, RecordCoding.checkpointRecord)
            }
        }
        return records.enumerated().sorted { ($0.element.superstep, $0.offset) < ($1.element.superstep, $1.offset) }.map(\.element)
    }

    public func deliverSignal(run id: RunID, name: String, payload: JSON) async throws {
        let payloadText = payload.canonicalString
        let key = auditKey
        try await write { db in
            let head = try RunHead.fetch(db, id)
            let time = EventDraft.now()
            try db.cachedStatement(sql: "INSERT INTO signals (run, name, payload, time) VALUES (?, ?, ?, ?)")
                .execute(arguments: [id.rawValue, name, payloadText, time])
            let sealed = try Journal.append(
                [EventDraft(.signalReceived, ["name": .string(name), "payload": payload], time: time)], run: id, after: head, key: key, db
            )
            try Journal.advanceHead(id, to: sealed, key: key, db)
        }
    }

    public func signals(run: RunID) async throws -> [SignalRecord] {
        let rows = try await read { db in
            let statement = try db.cachedStatement(sql: "SELECT id, name, payload, time FROM signals WHERE run = ? ORDER BY id")
            return try Row.fetchAll(statement, arguments: [run.rawValue]).map { row in
                let reader = RowReader(row: row, table: "signals", key: run.rawValue)
                return (try reader.integer(0, "id"), try reader.text(1, "name"), try reader.text(2, "payload"), try reader.integer(3, "time"))
            }
        }
        return try mapped {
            try rows.map { id, name, payload, time in
                SignalRecord(
                    id: id, run: run, name: name,
                    payload: try ColumnJSON.parse(payload, table: "signals", key: "\(run.rawValue)#\(id)", column: "payload"), time: time
                )
            }
        }
    }
}
