import BatonCore
import PostgresNIO

/// Approval requests and decisions, each with its event in the run's journal, in one transaction;
/// and the agents' response cache.
extension PostgresStore: ResponseCache {
    public func requestApproval(_ request: ApprovalRequest) async throws -> ApprovalRecord {
        let record = ApprovalRecord(request: request)
        let requestText = try JSONValueEncoder.encode(request).canonicalString
        let key = auditKey
        let row = try await transaction { connection, logger in
            let head = try await PostgresRunHead.lock(request.run, schema: self.s, connection, logger)
            if let existing = try await self.approvalRow(request.id, connection, logger) { return existing }
            try await connection.query("""
                INSERT INTO \(unescaped: self.s).approvals (id, run, status, requested_at, request)
                VALUES (\(request.id), \(request.run.rawValue), \(record.status.rawValue), \(request.requestedAt), \(requestText))
                """, logger: logger)
            let sealed = try await PostgresJournal.append([record.requestEvent], run: request.run, after: head, key: key, schema: self.s, connection, logger)
            try await PostgresJournal.advanceHead(request.run, to: sealed, key: key, schema: self.s, connection, logger)
            return ApprovalText(id: request.id, status: record.status.rawValue, request: requestText, decision: nil)
        }
        return try row.record()
    }

    public func approval(_ id: String) async throws -> ApprovalRecord? {
        try await read { connection, logger in try await self.approvalRow(id, connection, logger) }?.record()
    }

    public func approvals(status: ApprovalStatus?, limit: Int) async throws -> [ApprovalRecord] {
        let rows = try await read { connection, logger in
            let limit = max(0, limit)
            let rows = try await connection.query(
                status.map { "SELECT \(unescaped: ApprovalText.columns) FROM \(unescaped: self.s).approvals WHERE status = \($0.rawValue) ORDER BY requested_at DESC, id DESC LIMIT \(limit)" }
                    ?? "SELECT \(unescaped: ApprovalText.columns) FROM \(unescaped: self.s).approvals ORDER BY requested_at DESC, id DESC LIMIT \(limit)",
                logger: logger
            )
            var found: [ApprovalText] = []
            for try await (id, status, request, decision) in rows.decode((String, String, String, String?).self) {
                found.append(ApprovalText(id: id, status: status, request: request, decision: decision))
            }
            return found
        }
        return try rows.map { try $0.record() }
    }

    public func decideApproval(_ id: String, _ decision: ApprovalDecision) async throws -> ApprovalRecord {
        let decisionText = try JSONValueEncoder.encode(decision).canonicalString
        let key = auditKey
        let row = try await transaction { connection, logger in
            guard let found = try await self.approvalRow(id, connection, logger) else { throw ApprovalFailure(error: .unknown(id)) }
            let run = try found.record().request.run
            // The run's lock first (as every writer of the run takes it), then the request again under it.
            let head = try await PostgresRunHead.lock(run, schema: self.s, connection, logger)
            guard var row = try await self.approvalRow(id, connection, logger) else { throw ApprovalFailure(error: .unknown(id)) }
            let record = try row.record()
            do throws(ApprovalError) {
                try record.admit(decision)
            } catch {
                throw ApprovalFailure(error: error)
            }
            row.status = ApprovalRecord.status(after: decision).rawValue
            row.decision = decisionText
            try await connection.query(
                "UPDATE \(unescaped: self.s).approvals SET status = \(row.status), decision = \(decisionText) WHERE id = \(id)", logger: logger
            )
            let sealed = try await PostgresJournal.append([record.decisionEvent(decision)], run: run, after: head, key: key, schema: self.s, connection, logger)
            try await PostgresJournal.advanceHead(run, to: sealed, key: key, schema: self.s, connection, logger)
            try await PostgresWorkQueue.wake(run, schema: self.s, connection, logger)
            return row
        }
        return try row.record()
    }

    func approvalRow(_ id: String, _ connection: PostgresConnection, _ logger: Logger) async throws -> ApprovalText? {
        let rows = try await connection.query(
            "SELECT \(unescaped: ApprovalText.columns) FROM \(unescaped: s).approvals WHERE id = \(id)", logger: logger
        )
        for try await (id, status, request, decision) in rows.decode((String, String, String, String?).self) {
            return ApprovalText(id: id, status: status, request: request, decision: decision)
        }
        return nil
    }

    // MARK: Response cache

    public func cached(_ key: String) async throws -> JSON? {
        let now = EventDraft.now()
        let text = try await read { connection, logger -> String? in
            let rows = try await connection.query(
                "SELECT value FROM \(unescaped: self.s).response_cache WHERE key = \(key) AND expires_at > \(now)", logger: logger
            )
            for try await value in rows.decode(String.self) { return value }
            return nil
        }
        return try text.map { try ColumnJSON.parse($0, table: "response_cache", key: key, column: "value") }
    }

    public func store(_ value: JSON, under key: String, ttl: Duration) async throws {
        let now = EventDraft.now()
        let expires = now + Int64(ttl.seconds * 1000)
        let text = value.canonicalString
        try await transaction { connection, logger in
            // Expired entries go when a new one arrives: the table holds what is still useful.
            try await connection.query("DELETE FROM \(unescaped: self.s).response_cache WHERE expires_at <= \(now)", logger: logger)
            try await connection.query("""
                INSERT INTO \(unescaped: self.s).response_cache (key, value, expires_at) VALUES (\(key), \(text), \(expires))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
                """, logger: logger)
        }
    }
}

/// An ``ApprovalError`` thrown inside a transaction, to reach the caller as itself.
struct ApprovalFailure: Error {
    var error: ApprovalError
}

/// One `approvals` row as text, decoded outside the transaction.
struct ApprovalText: Sendable {
    static let columns = "id, status, request, decision"

    var id: String
    var status: String
    var request: String
    var decision: String?

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
