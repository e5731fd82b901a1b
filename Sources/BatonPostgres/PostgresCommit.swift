import BatonCore

/// A step's commit with its columns ready for SQL: the run row's new values, the result to keep
/// while its superstep is open, and the events to seal.
struct PostgresCommit: Sendable {
    let run: RunID
    let owner: String
    let superstep: Int
    let time: Int64
    let drafts: [EventDraft]
    let consumedSignals: [Int64]
    /// The step's result, kept only while its superstep is still open (committed together with
    /// the superstep's checkpoint it would be deleted at once).
    let openResult: (key: String, text: String)?
    /// The superstep of the new checkpoint, when the commit completes one.
    let nextSuperstep: Int?
    let checkpoint: String?
    /// The checkpoint's history record (it goes into the last event's row).
    let record: String?
    let waitingFor: String?
    let output: String?
    let reason: String?
    let status: String?
    /// Ends the run or parks it: the lease is released.
    let releases: Bool
    let terminal: Bool
    /// The run stays ready (for the next turn), or `readyAt` is its next time (a timer; `nil`: none).
    let keepsReady: Bool
    let readyAt: Int64?

    init(_ commit: StepCommit) {
        run = commit.run
        owner = commit.owner.id
        superstep = commit.superstep
        let time = commit.events.last?.time ?? EventDraft.now()
        self.time = time
        drafts = commit.events
        consumedSignals = commit.consumedSignals
        let next = commit.advance?.checkpoint
        openResult = next == nil ? commit.result.map { ($0.key, RecordCoding.json($0).canonicalString) } : nil
        nextSuperstep = next?.superstep
        checkpoint = next.map { RecordCoding.json($0).canonicalString }
        record = next.map { RecordCoding.json($0, writes: commit.advance?.writes ?? [], time: time).canonicalString }
        waitingFor = commit.advance.map { JSON.array($0.waitingFor.map(RecordCoding.json)).canonicalString }
        output = commit.advance?.output?.canonicalString
        reason = commit.advance?.reason
        status = commit.advance?.status.rawValue
        terminal = commit.advance?.status.isTerminal == true
        releases = commit.advance.map { $0.status.isTerminal || $0.status == .waiting } ?? false
        keepsReady = commit.advance.map { !$0.status.isTerminal && $0.status != .waiting } ?? true
        readyAt = commit.advance.flatMap { advance in advance.status == .waiting ? advance.waitingFor.compactMap(\.deadline).min() : nil }
    }

    /// The `SET` list of the run's row once the journal ends at `lastSeq`/`lastHash` (`headMAC`:
    /// `nil` keeps the head's MAC). `NULL` keeps a column that no advance changes.
    func assignments(lastSeq: Int, lastHash: String, headMAC: String?, _ statement: inout PostgresStatement) -> String {
        let releases = statement.bind(releases)
        return """
            last_seq = \(statement.bind(Int64(lastSeq))), last_hash = \(statement.bind(lastHash)), head_mac = coalesce(\(statement.bind(headMAC)), head_mac), \
            updated_at = \(statement.bind(time)), checkpoint_count = checkpoint_count + \(checkpoint == nil ? 0 : 1), \
            checkpoint = coalesce(\(statement.bind(checkpoint)), checkpoint), waiting_for = coalesce(\(statement.bind(waitingFor)), waiting_for), \
            output = coalesce(\(statement.bind(output)), output), reason = coalesce(\(statement.bind(reason)), reason), \
            status = coalesce(\(statement.bind(status)), status), \
            lease_id = CASE WHEN \(releases) THEN NULL ELSE lease_id END, lease_host = CASE WHEN \(releases) THEN NULL ELSE lease_host END, \
            lease_pid = CASE WHEN \(releases) THEN NULL ELSE lease_pid END, lease_expires_at = CASE WHEN \(releases) THEN NULL ELSE lease_expires_at END, \
            ready_at = CASE WHEN \(statement.bind(keepsReady)) THEN ready_at ELSE \(statement.bind(readyAt)) END
            """
    }

    /// The `INSERT` that keeps the step's result while its superstep is open (replacing an
    /// earlier one of the same task), if there is one to keep; it writes only where `condition`
    /// holds.
    func keepingResult(schema s: String, _ statement: inout PostgresStatement, onlyIf condition: String = "true") -> String? {
        guard let result = openResult else { return nil }
        return """
            INSERT INTO \(s).step_results (run, superstep, key, result)
            SELECT \(statement.bind(run.rawValue)), \(statement.bind(superstep)), \(statement.bind(result.key)), \(statement.bind(result.text))
            WHERE \(condition)
            ON CONFLICT (run, superstep, key) DO UPDATE SET result = excluded.result
            """
    }

    /// The `DELETE` of the superstep's kept results, if this commit completes it; it deletes only
    /// where `condition` holds.
    func closingSuperstep(schema s: String, _ statement: inout PostgresStatement, onlyIf condition: String = "true") -> String? {
        guard nextSuperstep != nil else { return nil }
        return "DELETE FROM \(s).step_results WHERE run = \(statement.bind(run.rawValue)) AND superstep = \(statement.bind(superstep)) AND \(condition)"
    }
}

/// Where a run's journal ends, as this store's last commit to it left it, for runs whose lease
/// an engine of this process holds: the next commit to the run can then seal its events and
/// write everything in one statement, which checks that the head and the lease are still so.
struct PostgresKnownHead: Sendable {
    var seq: Int
    var hash: String
    var leaseID: String
    var authenticated: Bool
    /// The run is a child whose parent waits for it: its end wakes the parent (the locking path).
    var waitedOnByParent: Bool
}
