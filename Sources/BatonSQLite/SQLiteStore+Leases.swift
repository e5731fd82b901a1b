import BatonCore
import GRDB

/// Leases and cancel requests: who drives a run, and asking it to stop.
extension SQLiteStore {
    public func acquireLease(run id: RunID, owner: LeaseOwner, duration: Duration) async throws -> RunRecord {
        let row = try await write { db in
            guard var row = try Self.fetchRunRow(id, db) else { throw StoreError.runNotFound(id) }
            let now = EventDraft.now()
            if row.isLeased(byOtherThan: owner, now: now), let holder = row.leaseOwner {
                throw StoreError.leaseHeld(id, by: holder.description)
            }
            row.leaseID = owner.id
            row.leaseHost = owner.host
            row.leasePID = Int64(owner.pid)
            row.leaseExpiresAt = now + Int64(duration.seconds * 1000)
            try db.cachedStatement(sql: "UPDATE runs SET lease_id = ?, lease_host = ?, lease_pid = ?, lease_expires_at = ? WHERE id = ?")
                .execute(arguments: [row.leaseID, row.leaseHost, row.leasePID, row.leaseExpiresAt, id.rawValue])
            return row
        }
        return try mapped { try row.record() }
    }

    public func releaseLease(run id: RunID, owner: LeaseOwner) async throws {
        try await write { db in
            try db.cachedStatement(sql: """
                UPDATE runs SET lease_id = NULL, lease_host = NULL, lease_pid = NULL, lease_expires_at = NULL
                WHERE id = ? AND lease_id = ?
                """).execute(arguments: [id.rawValue, owner.id])
        }
    }

    public func requestCancel(run id: RunID, reason: String) async throws -> RunRecord {
        let key = auditKey
        let row = try await write { db in
            guard var row = try Self.fetchRunRow(id, db) else { throw StoreError.runNotFound(id) }
            guard let status = row.runStatus else {
                throw StoreError.corrupted("table runs, row \(id), column status: unknown status '\(row.status)'")
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
            let head = RunHead(
                lastSeq: Int(row.lastSeq), lastHash: row.lastHash, leaseID: row.leaseID, cancelRequested: true, authenticated: row.headMAC != nil
            )
            let sealed = try Journal.append(drafts, run: id, after: head, key: key, db)
            let moved = ChainHead(run: id, seq: sealed.last?.seq ?? head.lastSeq, hash: sealed.last?.hash ?? head.lastHash, authenticatedBy: key)
            row.lastSeq = Int64(moved.seq)
            row.lastHash = moved.hash
            row.headMAC = moved.mac
            row.updatedAt = now
            try db.cachedStatement(sql: """
                UPDATE runs SET cancel_requested = 1, status = ?, reason = ?, waiting_for = ?, last_seq = ?, last_hash = ?, head_mac = ?, updated_at = ?
                WHERE id = ?
                """).execute(arguments: [row.status, row.reason, row.waitingFor, row.lastSeq, row.lastHash, row.headMAC, row.updatedAt, id.rawValue])
            return row
        }
        return try mapped { try row.record() }
    }

    static func fetchRunRow(_ id: RunID, _ db: Database) throws -> RunRow? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(RunRow.columns) FROM runs WHERE id = ?"), arguments: [id.rawValue]).map(RunRow.init)
    }
}
