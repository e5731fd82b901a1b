import BatonCore
import GRDB

/// Approval requests and decisions, each with its event in the run's journal, in one transaction.
extension SQLiteStore {
    public func requestApproval(_ request: ApprovalRequest) async throws -> ApprovalRecord {
        let record = ApprovalRecord(request: request)
        let requestText = try mapped { try JSONValueEncoder.encode(request).canonicalString }
        let key = auditKey
        let row = try await write { db in
            if let existing = try ApprovalRow.fetch(request.id, db) { return existing }
            let head = try RunHead.fetch(db, request.run)
            try db.cachedStatement(sql: "INSERT INTO approvals (id, run, status, requested_at, request) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [request.id, request.run.rawValue, record.status.rawValue, request.requestedAt, requestText])
            let sealed = try Journal.append([record.requestEvent], run: request.run, after: head, key: key, db)
            try Journal.advanceHead(request.run, to: sealed, key: key, db)
            return ApprovalRow(id: request.id, status: record.status.rawValue, request: requestText, decision: nil)
        }
        return try mapped { try row.record() }
    }

    public func approval(_ id: String) async throws -> ApprovalRecord? {
        let row = try await read { db in try ApprovalRow.fetch(id, db) }
        return try mapped { try row?.record() }
    }

    public func approvals(status: ApprovalStatus?, limit: Int) async throws -> [ApprovalRecord] {
        let rows = try await read { db in
            let sql = status == nil
                ? "SELECT \(ApprovalRow.columns) FROM approvals ORDER BY requested_at DESC, id DESC LIMIT ?"
                : "SELECT \(ApprovalRow.columns) FROM approvals WHERE status = ? ORDER BY requested_at DESC, id DESC LIMIT ?"
            let arguments: StatementArguments = status.map { [$0.rawValue, max(0, limit)] } ?? [max(0, limit)]
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(ApprovalRow.init)
        }
        return try mapped { try rows.map { try $0.record() } }
    }

    public func decideApproval(_ id: String, _ decision: ApprovalDecision) async throws -> ApprovalRecord {
        let decisionText = try mapped { try JSONValueEncoder.encode(decision).canonicalString }
        let key = auditKey
        let row = try await write { db in
            guard var row = try ApprovalRow.fetch(id, db) else { throw ApprovalError.unknown(id) }
            let record = try row.record()
            try record.admit(decision)
            let head = try RunHead.fetch(db, record.request.run)
            row.status = ApprovalRecord.status(after: decision).rawValue
            row.decision = decisionText
            try db.cachedStatement(sql: "UPDATE approvals SET status = ?, decision = ? WHERE id = ?").execute(arguments: [row.status, decisionText, id])
            let sealed = try Journal.append([record.decisionEvent(decision)], run: record.request.run, after: head, key: key, db)
            try Journal.advanceHead(record.request.run, to: sealed, key: key, db)
            return row
        }
        return try mapped { try row.record() }
    }
}

/// One `approvals` row as plain column values, decoded outside the transaction.
struct ApprovalRow: Sendable {
    static let columns = "id, status, request, decision"

    var id: String
    var status: String
    var request: String
    var decision: String?

    init(id: String, status: String, request: String, decision: String?) {
        self.id = id
        self.status = status
        self.request = request
        self.decision = decision
    }

    init(_ row: Row) throws {
        let reader = RowReader(row: row, table: "approvals", key: String.fromDatabaseValue(row[0]) ?? "?")
        id = try reader.text(0, "id")
        status = try reader.text(1, "status")
        request = try reader.text(2, "request")
        decision = try reader.optionalText(3, "decision")
    }

    static func fetch(_ id: String, _ db: Database) throws -> ApprovalRow? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM approvals WHERE id = ?"), arguments: [id]).map(ApprovalRow.init)
    }

    /// The record, every JSON column decoded; a malformed one is ``StoreError/corrupted(_:)``.
    func record() throws -> ApprovalRecord {
        guard let status = ApprovalStatus(rawValue: status) else {
            throw StoreError.corrupted("table approvals, row \(id), column status: unknown status '\(status)'")
        }
        func decoded<T: Decodable>(_ text: String, _ column: String, as type: T.Type) throws -> T {
            do {
                return try JSONValueDecoder.decode(T.self, from: try ColumnJSON.parse(text, table: "approvals", key: id, column: column))
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError.corrupted("table approvals, row \(id), column \(column): \(error)")
            }
        }
        return ApprovalRecord(
            request: try decoded(request, "request", as: ApprovalRequest.self), status: status,
            decision: try decision.map { try decoded($0, "decision", as: ApprovalDecision.self) }
        )
    }
}
