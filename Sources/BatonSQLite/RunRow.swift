import BatonCore
import Foundation
import GRDB

/// One `runs` row as plain column values: read inside a transaction, decoded (JSON parsing and
/// all) outside it, so that the database's queues stay short.
struct RunRow: Sendable {
    static let columns = """
        id, workflow_name, workflow_hash, status, input, checkpoint, output, reason, parent, cancel_requested, waiting_for, \
        created_at, updated_at, last_seq, last_hash, lease_id, lease_host, lease_pid, lease_expires_at, head_mac, tags
        """
    /// Inserts a new run, its first checkpoint record counted.
    static let insertSQL = "INSERT INTO runs (\(columns), checkpoint_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"

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
    var leaseID: String?
    var leaseHost: String?
    var leasePID: Int64?
    var leaseExpiresAt: Int64?
    var headMAC: String?
    /// A JSON array of strings.
    var tags: String

    /// Reads the columns of ``columns``, in order, checking each one's type.
    init(_ row: Row) throws {
        let reader = RowReader(row: row, table: "runs", key: String.fromDatabaseValue(row[0]) ?? "?")
        self.id = try reader.text(0, "id")
        workflowName = try reader.text(1, "workflow_name")
        workflowHash = try reader.text(2, "workflow_hash")
        status = try reader.text(3, "status")
        input = try reader.text(4, "input")
        checkpoint = try reader.text(5, "checkpoint")
        output = try reader.optionalText(6, "output")
        reason = try reader.optionalText(7, "reason")
        parent = try reader.optionalText(8, "parent")
        cancelRequested = try reader.integer(9, "cancel_requested") != 0
        waitingFor = try reader.text(10, "waiting_for")
        createdAt = try reader.integer(11, "created_at")
        updatedAt = try reader.integer(12, "updated_at")
        lastSeq = try reader.integer(13, "last_seq")
        lastHash = try reader.text(14, "last_hash")
        leaseID = try reader.optionalText(15, "lease_id")
        leaseHost = try reader.optionalText(16, "lease_host")
        leasePID = try reader.optionalInteger(17, "lease_pid")
        leaseExpiresAt = try reader.optionalInteger(18, "lease_expires_at")
        headMAC = try reader.optionalText(19, "head_mac")
        tags = try reader.text(20, "tags")
    }

    /// The columns of `run`, JSON encoded.
    init(_ run: RunRecord) {
        id = run.id.rawValue
        workflowName = run.workflowName
        workflowHash = run.workflowHash
        status = run.status.rawValue
        input = run.input.canonicalString
        checkpoint = RecordText.checkpoint(run.checkpoint)
        output = run.output?.canonicalString
        reason = run.reason
        parent = run.parent.map { RecordCoding.json($0).canonicalString }
        cancelRequested = run.cancelRequested
        waitingFor = JSON.array(run.waitingFor.map(RecordCoding.json)).canonicalString
        createdAt = run.createdAt
        updatedAt = run.updatedAt
        lastSeq = Int64(run.lastSeq)
        lastHash = run.lastHash
        leaseID = run.leaseOwner?.id
        leaseHost = run.leaseOwner?.host
        leasePID = run.leaseOwner.map { Int64($0.pid) }
        leaseExpiresAt = run.leaseExpiresAt
        headMAC = run.headMAC
        tags = JSON.array(run.tags.map(JSON.string)).canonicalString
    }

    var arguments: StatementArguments {
        [
            id, workflowName, workflowHash, status, input, checkpoint, output, reason, parent, cancelRequested, waitingFor,
            createdAt, updatedAt, lastSeq, lastHash, leaseID, leaseHost, leasePID, leaseExpiresAt, headMAC, tags,
        ]
    }

    var leaseOwner: LeaseOwner? {
        guard let leaseID, let leaseHost, let leasePID else { return nil }
        return LeaseOwner(id: leaseID, host: leaseHost, pid: Int32(truncatingIfNeeded: leasePID))
    }

    /// Whether another live owner than `owner` holds the lease, by ``RunRecord/isLeased(byOtherThan:now:)``'s rules.
    func isLeased(byOtherThan owner: LeaseOwner?, now: Int64) -> Bool {
        LeaseOwner.isLive(leaseOwner, expiresAt: leaseExpiresAt, toOtherThan: owner, now: now)
    }

    var runStatus: RunStatus? { RunStatus(rawValue: status) }

    /// The run, every JSON column parsed; a malformed one is ``StoreError/corrupted(_:)``.
    func record() throws -> RunRecord {
        func corrupted(_ column: String, _ why: String) -> StoreError { .corrupted("table runs, row \(id), column \(column): \(why)") }
        guard let runStatus else { throw corrupted("status", "unknown status '\(status)'") }
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

/// The columns a commit needs of its run: where the chain goes on, who holds the lease, and
/// whether a cancel was requested. Read without touching the checkpoint.
struct RunHead {
    static let sql = """
        SELECT last_seq, last_hash, lease_id, cancel_requested, checkpoint_count, status, head_mac IS NOT NULL FROM runs WHERE id = ?
        """

    var lastSeq: Int
    var lastHash: String
    var leaseID: String?
    var cancelRequested: Bool
    /// Whether the head has a MAC: the run was written with an audit key, and must go on with one.
    var authenticated: Bool
    /// How many checkpoint records the run has: the next one is number `checkpointCount + 1`.
    var checkpointCount: Int64 = 0
    /// The run's status as stored (`nil` when not read).
    var status: String?

    /// Reads run `run`'s head (every commit does, see ``DirectStatement``).
    static func fetch(_ db: Database, _ run: RunID) throws -> RunHead {
        let statement = try DirectStatement(db, sql: sql)
        try statement.bind(1, run.rawValue)
        let head = try statement.firstRow(table: "runs", key: run.rawValue) { columns in
            guard let lastSeq = Int(exactly: try columns.integer(0, "last_seq")) else { throw columns.corrupted("last_seq", "out of range") }
            return RunHead(
                lastSeq: lastSeq, lastHash: try columns.text(1, "last_hash"), leaseID: try columns.optionalText(2, "lease_id"),
                cancelRequested: try columns.integer(3, "cancel_requested") != 0, authenticated: try columns.integer(6, "head_mac") != 0,
                checkpointCount: try columns.integer(4, "checkpoint_count"), status: try columns.text(5, "status")
            )
        }
        guard let head else { throw StoreError.runNotFound(run) }
        return head
    }
}
