import BatonCore
import GRDB

/// Appending to and reading a run's journal.
enum Journal {
    static let columns = "seq, time, type, data, prev_hash, hash, mac"

    /// Seals `drafts` after `head` (with `key`, each with its MAC) and inserts them; returns the
    /// sealed events. `checkpoint`, a checkpoint history record, goes into the last event's row.
    ///
    /// - Throws: ``StoreError/auditKeyRequired(_:)`` when the run is authenticated and `key` is
    ///   `nil`: events without MACs after events with them would read as MACs stripped.
    @discardableResult
    static func append(
        _ drafts: [EventDraft], run: RunID, after head: RunHead, key: AuditKey?, checkpoint: String? = nil, _ db: Database
    ) throws -> [Event] {
        guard !drafts.isEmpty else { return [] }
        if key == nil, head.authenticated { throw StoreError.auditKeyRequired(run) }
        let (sealed, dataTexts) = EventChain.sealForWriting(drafts, run: run, after: head.lastSeq, lastHash: head.lastHash, key: key)
        try insert(sealed, dataTexts: dataTexts, checkpoint: checkpoint, db)
        return sealed
    }

    /// Inserts events already sealed, with their data's canonical text (``EventChain/sealForWriting(_:run:after:lastHash:key:)``);
    /// `checkpoint` goes into the last one's row.
    static func insert(_ sealed: [Event], dataTexts: [String], checkpoint: String? = nil, _ db: Database) throws {
        for (position, event) in sealed.enumerated() {
            let insert = try DirectStatement(db, sql: insertSQL)
            try insert.bind(1, event.run.rawValue)
            try insert.bind(2, event.seq)
            try insert.bind(3, event.time)
            try insert.bind(4, event.type.rawValue)
            try insert.bind(5, dataTexts[position])
            try insert.bind(6, event.prevHash)
            try insert.bind(7, event.hash)
            try insert.bind(8, event.mac)
            try insert.bind(9, position == sealed.count - 1 ? checkpoint : nil)
            try insert.execute()
        }
    }

    private static let insertSQL = """
        INSERT INTO events (run, seq, time, type, data, prev_hash, hash, mac, checkpoint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Keeps a checkpoint history record that no event carries (a commit without events), as
    /// the `n`-th record of `run`, in the table that held every record before schema 3.
    static func insertUncarried(checkpoint record: String, run: RunID, n: Int64, superstep: Int, time: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO checkpoints (run, n, superstep, time, record) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [run.rawValue, n, superstep, time, record])
    }

    /// Moves the run's chain head to the last of `sealed`, with its MAC under `key` (nothing
    /// when `sealed` is empty).
    static func advanceHead(_ run: RunID, to sealed: [Event], key: AuditKey?, _ db: Database) throws {
        guard let last = sealed.last else { return }
        let head = ChainHead(run: run, seq: last.seq, hash: last.hash, authenticatedBy: key)
        try db.cachedStatement(sql: "UPDATE runs SET last_seq = ?, last_hash = ?, head_mac = ? WHERE id = ?")
            .execute(arguments: [head.seq, head.hash, head.mac, run.rawValue])
    }
}

/// One `events` row as plain values, parsed outside the transaction.
struct EventRow: Sendable {
    var seq: Int64
    var time: Int64
    var type: String
    var data: String
    var prevHash: String
    var hash: String
    var mac: String?

    init(_ row: Row, run: RunID) throws {
        let seq = try RowReader(row: row, table: "events", key: run.rawValue).integer(0, "seq")
        let reader = RowReader(row: row, table: "events", key: "\(run.rawValue)#\(seq)")
        self.seq = seq
        time = try reader.integer(1, "time")
        type = try reader.text(2, "type")
        data = try reader.text(3, "data")
        prevHash = try reader.text(4, "prev_hash")
        hash = try reader.text(5, "hash")
        mac = try reader.optionalText(6, "mac")
    }

    func event(run: RunID) throws -> Event {
        Event(
            run: run, seq: Int(seq), time: time, type: EventType(rawValue: type),
            data: try ColumnJSON.parse(data, table: "events", key: "\(run.rawValue)#\(seq)", column: "data"),
            prevHash: prevHash, hash: hash, mac: mac
        )
    }
}
