import BatonCore
import GRDB

/// A ``StepCommit`` with its JSON already encoded, so that the writer only runs SQL.
struct PreparedCommit: Sendable {
    var commit: StepCommit
    var result: String?
    var checkpoint: String?
    var checkpointRecord: String?
    var waitingFor: String?
    var output: String?
    /// The commit's time: its last event's, or now.
    var time: Int64

    init(_ commit: StepCommit) {
        self.commit = commit
        time = commit.events.last?.time ?? EventDraft.now()
        result = commit.advance?.checkpoint == nil ? commit.result.map { RecordCoding.json($0).canonicalString } : nil
        if let advance = commit.advance {
            if let next = advance.checkpoint {
                checkpoint = RecordText.checkpoint(next)
                checkpointRecord = RecordText.record(next, writes: advance.writes, time: time)
            }
            waitingFor = JSON.array(advance.waitingFor.map(RecordCoding.json)).canonicalString
            output = advance.output?.canonicalString
        }
    }
}

/// Applies one commit inside the caller's transaction: lease check, step result, events,
/// consumed signals, advance, chain head — all or nothing. With `key`, the events and the head
/// get their MACs.
enum CommitWriter {
    static func apply(_ prepared: PreparedCommit, key: AuditKey?, _ db: Database) throws -> CommitReceipt {
        let commit = prepared.commit
        let run = commit.run.rawValue
        let head = try RunHead.fetch(db, commit.run)
        guard head.leaseID == commit.owner.id else { throw StoreError.leaseLost(commit.run) }

        // A result committed together with its superstep's checkpoint would be deleted at once:
        // it is written (and was encoded) only while the superstep is still open.
        if let result = commit.result, let json = prepared.result {
            try db.cachedStatement(sql: """
                INSERT INTO step_results (run, superstep, key, result) VALUES (?, ?, ?, ?)
                ON CONFLICT (run, superstep, key) DO UPDATE SET result = excluded.result
                """).execute(arguments: [run, commit.superstep, result.key, json])
        }
        let sealed = try Journal.append(commit.events, run: commit.run, after: head, key: key, checkpoint: prepared.checkpointRecord, db)
        if !commit.consumedSignals.isEmpty {
            let delete = try db.cachedStatement(sql: "DELETE FROM signals WHERE id = ? AND run = ?")
            for id in commit.consumedSignals { try delete.execute(arguments: [id, run]) }
        }
        if let next = commit.advance?.checkpoint, let record = prepared.checkpointRecord {
            if sealed.isEmpty {
                try Journal.insertUncarried(checkpoint: record, run: commit.run, n: head.checkpointCount + 1, superstep: next.superstep, time: prepared.time, db)
            }
            try db.cachedStatement(sql: "DELETE FROM step_results WHERE run = ? AND superstep = ?")
                .execute(arguments: [run, commit.superstep])
        }
        let lastSeq = sealed.last?.seq ?? head.lastSeq
        let lastHash = sealed.last?.hash ?? head.lastHash
        // NULL keeps the head's MAC, which is right when no event was appended (the head did not
        // move) and when the run has none (appending to a run that has one needs the key).
        let headMAC = sealed.isEmpty ? nil : key?.mac(head: commit.run, seq: lastSeq, hash: lastHash)
        // NULL keeps a column: no advance changes nothing but the chain head and updated_at.
        // An advance that ends or parks the run also releases its lease. The status is written
        // only when it changes, so that a step's commit does not rewrite the status index.
        let status = commit.advance.map(\.status.rawValue).flatMap { $0 == head.status ? nil : $0 }
        let releases = commit.advance.map { $0.status.isTerminal || $0.status == .waiting } ?? false
        let update = try DirectStatement(db, sql: status == nil ? RunUpdate.keepingStatus : RunUpdate.settingStatus)
        try update.bind(1, lastSeq)
        try update.bind(2, lastHash)
        try update.bind(3, headMAC)
        try update.bind(4, prepared.time)
        try update.bind(5, prepared.checkpoint == nil ? 0 : 1)
        try update.bind(6, prepared.checkpoint)
        try update.bind(7, prepared.waitingFor)
        try update.bind(8, prepared.output)
        try update.bind(9, commit.advance?.reason)
        for parameter: Int32 in 10...13 { try update.bind(parameter, releases) }
        if let status { try update.bind(14, status) }
        try update.bind(status == nil ? 14 : 15, run)
        try update.execute()
        return CommitReceipt(cancelRequested: head.cancelRequested, lastSeq: lastSeq)
    }
}

/// The statement that moves a run on after a commit, with and without a new status.
private enum RunUpdate {
    private static func sql(settingStatus: Bool) -> String {
        """
        UPDATE runs SET last_seq = ?, last_hash = ?, head_mac = coalesce(?, head_mac), updated_at = ?, checkpoint_count = checkpoint_count + ?,
            checkpoint = coalesce(?, checkpoint), waiting_for = coalesce(?, waiting_for),
            output = coalesce(?, output), reason = coalesce(?, reason),
            lease_id = CASE WHEN ? THEN NULL ELSE lease_id END,
            lease_host = CASE WHEN ? THEN NULL ELSE lease_host END,
            lease_pid = CASE WHEN ? THEN NULL ELSE lease_pid END,
            lease_expires_at = CASE WHEN ? THEN NULL ELSE lease_expires_at END\(settingStatus ? ", status = ?" : "")
        WHERE id = ?
        """
    }

    static let keepingStatus = sql(settingStatus: false)
    static let settingStatus = sql(settingStatus: true)
}
