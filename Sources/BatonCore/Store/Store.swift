/// Where runs, events, checkpoints, effects and signals live. Two real engines implement it
/// (SQLite, PostgreSQL) beside ``InMemoryStore``; every implementation passes the same
/// conformance suite in `BatonTesting`.
///
/// Every method is one transaction. Writes of one run are ordered by the run's lease: only its
/// owner commits steps; events from others (a cancel request, a signal) chain on atomically.
public protocol Store: Sendable {
    /// Keeps a workflow version so that its runs can resume later.
    func saveWorkflow(_ workflow: StoredWorkflow) async throws
    func workflow(hash: String) async throws -> StoredWorkflow?

    /// Creates a run with its first checkpoint and events. Throws if the id exists.
    func createRun(_ run: RunRecord, events: [EventDraft]) async throws
    func run(_ id: RunID) async throws -> RunRecord?
    /// Runs, newest first.
    func runs(_ query: RunQuery) async throws -> [RunRecord]

    /// Takes the run's lease for `owner`: refused while another owner's lease is live.
    func acquireLease(run: RunID, owner: LeaseOwner, duration: Duration) async throws -> RunRecord
    func releaseLease(run: RunID, owner: LeaseOwner) async throws

    /// Results committed so far in `superstep`.
    func stepResults(run: RunID, superstep: Int) async throws -> [StepResult]
    /// Commits a finished step atomically. Refused unless `owner` holds the lease. An advance
    /// to a terminal or waiting status also releases the lease, in the same transaction.
    func commit(_ commit: consuming StepCommit) async throws -> CommitReceipt

    /// The journaled effect results of one step, by effect index.
    func effects(run: RunID, step: String) async throws -> [Int: JSON]
    /// Journals one effect's result (and its event) durably, before the step goes on.
    func recordEffect(_ effect: EffectRecord) async throws

    /// Appends events from outside a step (for example an operator's note).
    func appendEvents(run: RunID, _ events: [EventDraft]) async throws
    /// Events with `seq > after`, in order.
    func events(run: RunID, after: Int, limit: Int) async throws -> [Event]
    /// All the run's events and its head, read in one snapshot (for verifying and exporting the
    /// journal). Throws ``StoreError/runNotFound(_:)`` for an unknown run.
    func auditTrail(run: RunID) async throws -> AuditTrail

    /// The history of checkpoints, oldest first.
    func checkpoints(run: RunID) async throws -> [CheckpointRecord]

    /// Puts a signal into the run's mailbox (and a `signal.received` event into its journal).
    func deliverSignal(run: RunID, name: String, payload: JSON) async throws
    /// Signals not yet consumed, oldest first.
    func signals(run: RunID) async throws -> [SignalRecord]

    /// Records a cancel request (and its event). A waiting or pending run that no one executes is
    /// cancelled at once; a running one stops at its next commit.
    func requestCancel(run: RunID, reason: String) async throws -> RunRecord

    /// Keeps an approval request, pending, with an `approval.requested` event in its run's journal,
    /// unless a request with its id is kept already. Returns the stored record either way, so a
    /// step that asks again after a crash finds the request (and any decision) it made before.
    func requestApproval(_ request: ApprovalRequest) async throws -> ApprovalRecord
    /// The approval request `id`, with its decision once decided.
    func approval(_ id: String) async throws -> ApprovalRecord?
    /// Approval requests, newest first; with `status`, only those.
    func approvals(status: ApprovalStatus?, limit: Int) async throws -> [ApprovalRecord]
    /// Decides a pending request and records the decision (`approval.decided`, or
    /// `approval.expired` for a timeout) in its run's journal, atomically. Throws
    /// ``ApprovalError/unknown(_:)`` and ``ApprovalError/alreadyDecided(_:status:by:)``; a person's
    /// decision at or after the deadline is ``ApprovalError/expired(_:deadline:outcome:)``, and a
    /// timeout's decision before it is refused the same way.
    func decideApproval(_ id: String, _ decision: ApprovalDecision) async throws -> ApprovalRecord
}
