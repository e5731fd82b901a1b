import BatonCore
import PostgresNIO

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
        checkpoint = next.map(RecordText.checkpoint)
        record = next.map { RecordText.record($0, writes: commit.advance?.writes ?? [], time: time) }
        waitingFor = commit.advance.map { JSON.array($0.waitingFor.map(RecordCoding.json)).canonicalString }
        output = commit.advance?.output?.canonicalString
        reason = commit.advance?.reason
        status = commit.advance?.status.rawValue
        terminal = commit.advance?.status.isTerminal == true
        releases = commit.advance.map { $0.status.isTerminal || $0.status == .waiting } ?? false
        keepsReady = commit.advance.map { !$0.status.isTerminal && $0.status != .waiting } ?? true
        readyAt = commit.advance.flatMap { advance in advance.status == .waiting ? advance.waitingFor.compactMap(\.deadline).min() : nil }
    }

    /// How many values ``assignments(from:)`` takes.
    static let assignmentCount = 13

    /// The `SET` list of the run's row, its values bound from `$first` on, in the order
    /// ``bindAssignments(lastSeq:lastHash:headMAC:into:)`` appends them. `NULL` keeps a column
    /// that no advance changes. The text is the same for every commit, so that the one-statement
    /// commit is prepared once per connection.
    static func assignments(from first: Int) -> String {
        let p = (0..<assignmentCount).map { "$\(first + $0)" }
        return """
            last_seq = \(p[0]), last_hash = \(p[1]), head_mac = coalesce(\(p[2]), head_mac), updated_at = \(p[3]), \
            checkpoint_count = checkpoint_count + \(p[4]), checkpoint = coalesce(\(p[5]), checkpoint), \
            waiting_for = coalesce(\(p[6]), waiting_for), output = coalesce(\(p[7]), output), reason = coalesce(\(p[8]), reason), \
            status = coalesce(\(p[9]), status), \
            lease_id = CASE WHEN \(p[10]) THEN NULL ELSE lease_id END, lease_host = CASE WHEN \(p[10]) THEN NULL ELSE lease_host END, \
            lease_pid = CASE WHEN \(p[10]) THEN NULL ELSE lease_pid END, lease_expires_at = CASE WHEN \(p[10]) THEN NULL ELSE lease_expires_at END, \
            ready_at = CASE WHEN \(p[11]) THEN ready_at ELSE \(p[12]) END
            """
    }

    /// The values of ``assignments(from:)`` once the journal ends at `lastSeq`/`lastHash`
    /// (`headMAC`: `nil` keeps the head's MAC).
    func bindAssignments(lastSeq: Int, lastHash: String, headMAC: String?, into bindings: inout PostgresBindings) {
        bindings.append(Int64(lastSeq))
        bindings.append(lastHash)
        bindings.append(headMAC)
        bindings.append(time)
        bindings.append(Int64(checkpoint == nil ? 0 : 1))
        bindings.append(checkpoint)
        bindings.append(waitingFor)
        bindings.append(output)
        bindings.append(reason)
        bindings.append(status)
        bindings.append(releases)
        bindings.append(keepsReady)
        bindings.append(readyAt)
    }

    /// The `INSERT` that keeps a step's result while its superstep is open (replacing an earlier
    /// one of the same task), writing only where `condition` holds; `tables` qualifies the table
    /// (`"schema."`, or empty for the connection's search path).
    static func keepingResult(tables: String, run: String, superstep: String, key: String, result: String, onlyIf condition: String) -> String {
        """
        INSERT INTO \(tables)step_results (run, superstep, key, result)
        SELECT \(run), \(superstep), \(key), \(result) WHERE \(condition)
        ON CONFLICT (run, superstep, key) DO UPDATE SET result = excluded.result
        """
    }

    /// The `DELETE` of a completed superstep's kept results, deleting only where `condition` holds.
    static func closingSuperstep(tables: String, run: String, superstep: String, onlyIf condition: String) -> String {
        "DELETE FROM \(tables)step_results WHERE run = \(run) AND superstep = \(superstep) AND \(condition)"
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
