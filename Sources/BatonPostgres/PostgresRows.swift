import BatonCore
import PostgresNIO

/// One `runs` row: the columns read in order, decoded into a ``RunRecord`` (JSON columns
/// parsed) outside the transaction.
struct PostgresRunRow: Sendable {
    static let columns = """
        id, workflow_name, workflow_hash, status, input, checkpoint, output, reason, parent, cancel_requested, waiting_for, \
        created_at, updated_at, last_seq, last_hash, head_mac, tags, lease_id, lease_host, lease_pid, lease_expires_at
        """

    var id: String
    var workflowName: String
    var workflowHash: String
    var status: String
    var input: String
    var checkpoint: String
    var output: String?
    var reason: String?
    var parent: String?
    var cancelRequested: Bool
    var waitingFor: String
    var createdAt: Int64
    var updatedAt: Int64
    var lastSeq: Int64
    var lastHash: String
    var headMAC: String?
    var tags: String
    var leaseID: String?
    var leaseHost: String?
    var leasePID: Int64?
    var leaseExpiresAt: Int64?

    init(_ row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        func text(_ index: Int) throws -> String { try cells[index].decode(String.self) }
        func optionalText(_ index: Int) throws -> String? { try cells[index].decode(String?.self) }
        id = try text(0)
        workflowName = try text(1)
        workflowHash = try text(2)
        status = try text(3)
        input = try text(4)
        checkpoint = try text(5)
        output = try optionalText(6)
        reason = try optionalText(7)
        parent = try optionalText(8)
        cancelRequested = try cells[9].decode(Bool.self)
        waitingFor = try text(10)
        createdAt = try cells[11].decode(Int64.self)
        updatedAt = try cells[12].decode(Int64.self)
        lastSeq = try cells[13].decode(Int64.self)
        lastHash = try text(14)
        headMAC = try optionalText(15)
        tags = try text(16)
        leaseID = try optionalText(17)
        leaseHost = try optionalText(18)
        leasePID = try cells[19].decode(Int64?.self)
        leaseExpiresAt = try cells[20].decode(Int64?.self)
    }

    var leaseOwner: LeaseOwner? {
        guard let leaseID, let leaseHost, let leasePID else { return nil }
        return LeaseOwner(id: leaseID, host: leaseHost, pid: Int32(truncatingIfNeeded: leasePID))
    }

    /// Whether another live owner than `owner` holds the lease, by ``RunRecord/isLeased(byOtherThan:now:)``'s rules.
    func isLeased(byOtherThan owner: LeaseOwner?, now: Int64) -> Bool {
        LeaseOwner.isLive(leaseOwner, expiresAt: leaseExpiresAt, toOtherThan: owner, now: now)
    }

    /// The run's chain head and what a commit checks of it.
    var head: PostgresRunHead {
        PostgresRunHead(
            lastSeq: Int(lastSeq), lastHash: lastHash, leaseID: leaseID, cancelRequested: cancelRequested, status: status,
            authenticated: headMAC != nil
        )
    }

    /// The run, every JSON column parsed; a malformed one is ``StoreError/corrupted(_:)``.
    func record() throws -> RunRecord {
        func corrupted(_ column: String, _ why: String) -> StoreError { .corrupted("table runs, row \(id), column \(column): \(why)") }
        guard let runStatus = RunStatus(rawValue: status) else { throw corrupted("status", "unknown status '\(status)'") }
        guard let lastSeq = Int(exactly: lastSeq) else { throw corrupted("last_seq", "out of range") }
        var run = RunRecord(
            id: RunID(id), workflowName: workflowName, workflowHash: workflowHash, status: runStatus,
            input: try ColumnJSON.parse(input, table: "runs", key: id, column: "input"),
            checkpoint: try ColumnJSON.decode(checkpoint, table: "runs", key: id, column: "checkpoint", RecordCoding.checkpoint),
            output: try output.map { try ColumnJSON.parse($0, table: "runs", key: id, column: "output") },
            reason: reason,
            parent: try parent.map { try ColumnJSON.decode($0, table: "runs", key: id, column: "parent", RecordCoding.runParent) },
            cancelRequested: cancelRequested,
            waitingFor: try ColumnJSON.decode(waitingFor, table: "runs", key: id, column: "waiting_for", RecordCoding.waitConditions),
            createdAt: createdAt, updatedAt: updatedAt, lastSeq: lastSeq, lastHash: lastHash,
            tags: try ColumnJSON.decode(tags, table: "runs", key: id, column: "tags", RecordCoding.strings)
        )
        run.leaseOwner = leaseOwner
        run.leaseExpiresAt = leaseExpiresAt
        run.headMAC = headMAC
        return run
    }
}

/// What appending to a run needs of its row: where the chain goes on, who holds the lease, and
/// whether the journal is authenticated. Read with the row's lock, so that writers queue.
struct PostgresRunHead: Sendable {
    var lastSeq: Int
    var lastHash: String
    var leaseID: String?
    var cancelRequested: Bool
    var status: String
    var authenticated: Bool
    var checkpointCount: Int64 = 0
    /// The run is a child whose parent waits for it (not a fork, whose parent does not).
    var waitedOnByParent = false

    /// Locks run `id`'s row for the rest of the transaction and reads its head.
    static func lock(_ id: RunID, schema s: String, _ connection: PostgresConnection, _ logger: Logger) async throws -> PostgresRunHead {
        let rows = try await connection.query(
            """
            SELECT last_seq, last_hash, lease_id, cancel_requested, status, head_mac IS NOT NULL, checkpoint_count,
                coalesce(parent::jsonb ->> 'relation' = 'child', false)
            FROM \(unescaped: s).runs WHERE id = \(id.rawValue) FOR UPDATE
            """,
            logger: logger
        )
        for try await (seq, hash, lease, cancel, status, authenticated, count, waitedOn)
            in rows.decode((Int64, String, String?, Bool, String, Bool, Int64, Bool).self) {
            return PostgresRunHead(
                lastSeq: Int(seq), lastHash: hash, leaseID: lease, cancelRequested: cancel, status: status, authenticated: authenticated,
                checkpointCount: count, waitedOnByParent: waitedOn
            )
        }
        throw PostgresStoreFailure(storeError: .runNotFound(id))
    }
}

/// Appending to and reading a run's journal.
enum PostgresJournal {
    static let columns = "seq, time, type, data, prev_hash, hash, mac"

    /// Seals `drafts` after `head` (with `key`, each with its MAC) and inserts them; returns the
    /// sealed events. `checkpoint`, a checkpoint history record, goes into the last event's row.
    static func append(
        _ drafts: [EventDraft], run: RunID, after head: PostgresRunHead, key: AuditKey?, checkpoint: String? = nil,
        schema s: String, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> [Event] {
        guard !drafts.isEmpty else { return [] }
        if key == nil, head.authenticated { throw PostgresStoreFailure(storeError: .auditKeyRequired(run)) }
        let (sealed, dataTexts) = EventChain.sealForWriting(drafts, run: run, after: head.lastSeq, lastHash: head.lastHash, key: key)
        try await insert(sealed, dataTexts: dataTexts, checkpoint: checkpoint, schema: s, connection, logger)
        return sealed
    }

    /// The column list of an event row, in the order of ``values(_:dataTexts:checkpoint:_:)``.
    static let rowColumns = "run, seq, time, type, data, prev_hash, hash, mac, checkpoint"

    /// Inserts events already sealed, with their data's canonical text, in one statement;
    /// `checkpoint` goes into the last one's row.
    static func insert(
        _ sealed: [Event], dataTexts: [String], checkpoint: String? = nil, schema s: String, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        guard !sealed.isEmpty else { return }
        var statement = PostgresStatement()
        let rows = values(sealed, dataTexts: dataTexts, checkpoint: checkpoint, &statement)
        statement.sql = "INSERT INTO \(s).events (\(rowColumns)) VALUES \(rows)"
        try await connection.query(statement.query, logger: logger)
    }

    /// `(…), (…)`: a row per event bound in `statement`, the columns of ``rowColumns``;
    /// `checkpoint` goes into the last one's row.
    static func values(_ sealed: [Event], dataTexts: [String], checkpoint: String?, _ statement: inout PostgresStatement) -> String {
        var rows: [String] = []
        rows.reserveCapacity(sealed.count)
        for (position, event) in sealed.enumerated() {
            let cells = [
                statement.bind(event.run.rawValue), statement.bind(Int64(event.seq)), statement.bind(event.time), statement.bind(event.type.rawValue),
                statement.bind(dataTexts[position]), statement.bind(event.prevHash), statement.bind(event.hash), statement.bind(event.mac),
                statement.bind(position == sealed.count - 1 ? checkpoint : nil),
            ]
            rows.append("(" + cells.joined(separator: ", ") + ")")
        }
        return rows.joined(separator: ", ")
    }

    /// Moves the run's chain head to the last of `sealed`, with its MAC under `key`.
    static func advanceHead(_ run: RunID, to sealed: [Event], key: AuditKey?, schema s: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        guard let last = sealed.last else { return }
        let head = ChainHead(run: run, seq: last.seq, hash: last.hash, authenticatedBy: key)
        try await connection.query(
            "UPDATE \(unescaped: s).runs SET last_seq = \(Int64(head.seq)), last_hash = \(head.hash), head_mac = \(head.mac) WHERE id = \(run.rawValue)",
            logger: logger
        )
    }

    /// Events of `run` from `rows` (the columns of ``columns``, in order).
    static func events(_ rows: PostgresRowSequence, run: RunID) async throws -> [Event] {
        var events: [Event] = []
        for try await (seq, time, type, data, prev, hash, mac) in rows.decode((Int64, Int64, String, String, String, String, String?).self) {
            events.append(Event(
                run: run, seq: Int(seq), time: time, type: EventType(rawValue: type),
                data: try ColumnJSON.parse(data, table: "events", key: "\(run.rawValue)#\(seq)", column: "data"),
                prevHash: prev, hash: hash, mac: mac
            ))
        }
        return events
    }
}
