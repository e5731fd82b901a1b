import Synchronization

/// A store that keeps everything in memory: for tests and throwaway runs. Same semantics as the
/// durable stores (it passes the same conformance suite), nothing survives the process.
public final class InMemoryStore: Store {
    /// Everything about one run, kept together so that a commit touches one entry.
    private struct RunContents {
        /// The run's record; its `lastHash` is current only when `unsealed` is empty (see ``sealed``).
        var record: RunRecord
        var events: [Event] = []
        /// Events committed but not hashed yet. Nothing outside the store can observe an event
        /// before reading it, so the chain is sealed when it is read: the same chain, with the
        /// same times and numbers, without hashing on the engine's path.
        var unsealed: [EventDraft] = []
        /// Step results of open supersteps.
        var results: [Int: OpenSuperstep] = [:]
        var effects: [String: [Int: JSON]] = [:]
        var checkpoints: [CheckpointRecord] = []
        var signals: [SignalRecord] = []

        /// Appends `drafts` to the run's chain (numbered now, hashed when read).
        mutating func append(_ drafts: [EventDraft]) {
            unsealed.append(contentsOf: drafts)
            record.lastSeq += drafts.count
        }

        /// Appends one draft (an effect's event), without a list around it.
        mutating func append(_ draft: EventDraft) {
            unsealed.append(draft)
            record.lastSeq += 1
        }

        /// ``append(_:)``, taking the drafts out of `drafts` (which is left empty).
        mutating func append(moving drafts: inout [EventDraft]) {
            record.lastSeq += drafts.count
            if unsealed.isEmpty {
                swap(&unsealed, &drafts)
            } else {
                unsealed.append(contentsOf: drafts)
                drafts = []
            }
        }

        /// Keeps `result` for superstep `superstep` until it completes, replacing an earlier one of the same task.
        mutating func keep(_ result: StepResult, superstep: Int) {
            results[superstep, default: OpenSuperstep()].keep(result)
        }

        /// Hashes (and with `key`, authenticates) the events appended since the last read onto
        /// the chain, and moves the head after them.
        mutating func seal(_ key: AuditKey?) {
            guard !unsealed.isEmpty else { return }
            let sealed = EventChain.seal(unsealed, run: record.id, after: events.count, lastHash: events.last?.hash ?? EventChain.genesis, key: key)
            events.append(contentsOf: sealed)
            unsealed.removeAll(keepingCapacity: true)
            if let last = sealed.last { authenticateHead(last.hash, key) }
        }

        /// Sets the head after the last sealed event, whose hash is `hash`.
        mutating func authenticateHead(_ hash: String, _ key: AuditKey?) {
            let head = ChainHead(run: record.id, seq: events.count, hash: hash, authenticatedBy: key)
            record.lastHash = head.hash
            record.headMAC = head.mac
        }

        /// The record, with its chain sealed by `key`.
        mutating func sealedRecord(_ key: AuditKey?) -> RunRecord {
            seal(key)
            return record
        }
    }

    /// The results committed so far in a superstep that has not completed.
    private struct OpenSuperstep {
        /// In first-commit order.
        var results: [StepResult] = []
        /// Each task's position in `results`, by key.
        var positions: [String: Int] = [:]

        mutating func keep(_ result: StepResult) {
            if let position = positions[result.key] {
                results[position] = result
            } else {
                positions[result.key] = results.count
                results.append(result)
            }
        }
    }

    private struct Contents {
        var workflows: [String: StoredWorkflow] = [:]
        var runs: [RunID: RunContents] = [:]
        var nextSignal: Int64 = 1
        var approvals: [String: ApprovalRecord] = [:]

        /// Runs `body` on run `id`'s contents in place.
        mutating func withRun<T>(_ id: RunID, _ body: (inout RunContents) throws(StoreError) -> T) throws(StoreError) -> T {
            guard let index = runs.index(forKey: id) else { throw StoreError.runNotFound(id) }
            return try body(&runs.values[index])
        }
    }

    private let contents = Mutex(Contents())
    /// Authenticates every event and head when sealed, if set.
    private let auditKey: AuditKey?

    /// - Parameter auditKey: with a key, every event gets a MAC and every run's head one too
    ///   (``AuditKey``); they are computed when the chain is sealed, that is when it is read.
    public init(auditKey: AuditKey? = nil) {
        self.auditKey = auditKey
    }

    public func saveWorkflow(_ workflow: StoredWorkflow) async throws {
        contents.withLock { $0.workflows[workflow.hash] = workflow }
    }

    public func workflow(hash: String) async throws -> StoredWorkflow? {
        contents.withLock { $0.workflows[hash] }
    }

    public func createRun(_ run: RunRecord, events: [EventDraft]) async throws {
        try contents.withLock { contents throws(StoreError) in
            guard contents.runs[run.id] == nil else { throw StoreError.runAlreadyExists(run.id) }
            var created = RunContents(record: run)
            created.record.lastSeq = 0
            created.authenticateHead(EventChain.genesis, auditKey)
            // Room for a short run's events and checkpoints, so that its steps append in place.
            created.unsealed.reserveCapacity(16)
            created.checkpoints.reserveCapacity(16)
            created.append(events)
            created.checkpoints.append(CheckpointRecord.initial(run.checkpoint, time: run.createdAt))
            contents.runs[run.id] = created
        }
    }

    public func run(_ id: RunID) async throws -> RunRecord? {
        contents.withLock { contents in try? contents.withRun(id) { run throws(StoreError) in run.sealedRecord(auditKey) } }
    }

    public func runs(_ query: RunQuery) async throws -> [RunRecord] {
        contents.withLock { contents in
            // Choose by the fields the chain does not touch, then seal only the runs returned.
            let chosen = contents.runs.values.map(\.record)
                .filter { query.status == nil || $0.status == query.status }
                .filter { query.workflow == nil || $0.workflowName == query.workflow }
                .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
                .prefix(query.limit)
            return chosen.compactMap { record in
                contents.runs[record.id]?.seal(auditKey)
                return contents.runs[record.id]?.record
            }
        }
    }

    public func acquireLease(run id: RunID, owner: LeaseOwner, duration: Duration) async throws -> RunRecord {
        try contents.withLock { contents throws(StoreError) in
            try contents.withRun(id) { run throws(StoreError) in
                let now = EventDraft.now()
                if run.record.isLeased(byOtherThan: owner, now: now), let holder = run.record.leaseOwner {
                    throw StoreError.leaseHeld(id, by: holder.description)
                }
                run.record.leaseOwner = owner
                run.record.leaseExpiresAt = now + Int64(duration.seconds * 1000)
                return run.sealedRecord(auditKey)
            }
        }
    }

    public func releaseLease(run id: RunID, owner: LeaseOwner) async throws {
        contents.withLock { contents in
            _ = try? contents.withRun(id) { run throws(StoreError) in
                guard run.record.leaseOwner?.id == owner.id else { return }
                run.record.leaseOwner = nil
                run.record.leaseExpiresAt = nil
            }
        }
    }

    public func stepResults(run: RunID, superstep: Int) async throws -> [StepResult] {
        contents.withLock { $0.runs[run]?.results[superstep]?.results ?? [] }
    }

    public func commit(_ commit: consuming StepCommit) async throws -> CommitReceipt {
        // The commit's parts move into the store: keeping them costs no copies.
        var commit = commit
        return try contents.withLock { contents throws(StoreError) in
            try contents.withRun(commit.run) { run throws(StoreError) in
                guard run.record.leaseOwner?.id == commit.owner.id else { throw StoreError.leaseLost(commit.run) }
                let now = commit.events.last?.time ?? EventDraft.now()
                var advance = commit.advance.take()
                // The results of a superstep are kept until it completes: the last one needs no keeping.
                if advance?.checkpoint == nil, let result = commit.result.take() { run.keep(result, superstep: commit.superstep) }
                run.append(moving: &commit.events)
                if !commit.consumedSignals.isEmpty {
                    let consumed = Set(commit.consumedSignals)
                    run.signals.removeAll { consumed.contains($0.id) }
                }
                if var advance = advance.take() {
                    if let checkpoint = advance.checkpoint.take() {
                        run.checkpoints.append(CheckpointRecord(checkpoint, writes: advance.writes, time: now))
                        run.record.checkpoint = checkpoint
                        if !run.results.isEmpty { run.results[commit.superstep] = nil }
                    }
                    run.record.status = advance.status
                    if !advance.waitingFor.isEmpty || !run.record.waitingFor.isEmpty { run.record.waitingFor = advance.waitingFor }
                    if advance.status.isTerminal || advance.status == .waiting {
                        run.record.leaseOwner = nil
                        run.record.leaseExpiresAt = nil
                    }
                    if let output = advance.output.take() { run.record.output = output }
                    if let reason = advance.reason.take() { run.record.reason = reason }
                }
                run.record.updatedAt = now
                return CommitReceipt(cancelRequested: run.record.cancelRequested, lastSeq: run.record.lastSeq)
            }
        }
    }

    public func effects(run: RunID, step: String) async throws -> [Int: JSON] {
        contents.withLock { $0.runs[run]?.effects[step] ?? [:] }
    }

    public func recordEffect(_ effect: EffectRecord) async throws {
        try contents.withLock { contents throws(StoreError) in
            try contents.withRun(effect.run) { run throws(StoreError) in
                run.effects[effect.step, default: [:]][effect.index] = effect.value
                run.append(effect.event)
            }
        }
    }

    public func appendEvents(run id: RunID, _ events: [EventDraft]) async throws {
        try contents.withLock { contents throws(StoreError) in
            try contents.withRun(id) { run throws(StoreError) in run.append(events) }
        }
    }

    public func events(run: RunID, after: Int, limit: Int) async throws -> [Event] {
        contents.withLock { contents in
            contents.runs[run]?.seal(auditKey)
            let all = contents.runs[run]?.events ?? []
            guard after < all.count else { return [] }
            return Array(all[max(0, after)...].prefix(limit))
        }
    }

    public func auditTrail(run id: RunID) async throws -> AuditTrail {
        try contents.withLock { contents throws(StoreError) in
            try contents.withRun(id) { run throws(StoreError) in
                AuditTrail(head: run.sealedRecord(auditKey).head, events: run.events)
            }
        }
    }

    public func checkpoints(run: RunID) async throws -> [CheckpointRecord] {
        contents.withLock { $0.runs[run]?.checkpoints ?? [] }
    }

    public func deliverSignal(run id: RunID, name: String, payload: JSON) async throws {
        try contents.withLock { contents throws(StoreError) in
            let signalID = contents.nextSignal
            try contents.withRun(id) { run throws(StoreError) in
                let time = EventDraft.now()
                run.signals.append(SignalRecord(id: signalID, run: id, name: name, payload: payload, time: time))
                run.append([EventDraft(.signalReceived, ["name": .string(name), "payload": payload], time: time)])
            }
            contents.nextSignal += 1
        }
    }

    public func signals(run: RunID) async throws -> [SignalRecord] {
        contents.withLock { $0.runs[run]?.signals ?? [] }
    }

    public func requestCancel(run id: RunID, reason: String) async throws -> RunRecord {
        try contents.withLock { contents throws(StoreError) in
            try contents.withRun(id) { run throws(StoreError) in
                guard !run.record.status.isTerminal else { return run.sealedRecord(auditKey) }
                let now = EventDraft.now()
                var drafts = [EventDraft(.runCancelRequested, ["reason": .string(reason)], time: now)]
                run.record.cancelRequested = true
                if !run.record.isLeased(byOtherThan: nil, now: now) {
                    run.record.status = .cancelled
                    run.record.reason = reason
                    run.record.waitingFor = []
                    drafts.append(EventDraft(.runCancelled, ["reason": .string(reason)], time: now))
                }
                run.append(drafts)
                run.record.updatedAt = now
                return run.sealedRecord(auditKey)
            }
        }
    }

    public func requestApproval(_ request: ApprovalRequest) async throws -> ApprovalRecord {
        try contents.withLock { contents throws(StoreError) in
            if let existing = contents.approvals[request.id] { return existing }
            let record = ApprovalRecord(request: request)
            try contents.withRun(request.run) { run throws(StoreError) in run.append([record.requestEvent]) }
            contents.approvals[request.id] = record
            return record
        }
    }

    public func approval(_ id: String) async throws -> ApprovalRecord? {
        contents.withLock { $0.approvals[id] }
    }

    public func approvals(status: ApprovalStatus?, limit: Int) async throws -> [ApprovalRecord] {
        contents.withLock { contents in
            Array(
                contents.approvals.values.filter { status == nil || $0.status == status }
                    .sorted { ($0.request.requestedAt, $0.request.id) > ($1.request.requestedAt, $1.request.id) }
                    .prefix(max(0, limit))
            )
        }
    }

    public func decideApproval(_ id: String, _ decision: ApprovalDecision) async throws -> ApprovalRecord {
        try contents.withLock { contents throws(any Error) in
            guard var record = contents.approvals[id] else { throw ApprovalError.unknown(id) }
            try record.admit(decision)
            record.status = ApprovalRecord.status(after: decision)
            record.decision = decision
            let event = record.decisionEvent(decision)
            try contents.withRun(record.request.run) { run throws(StoreError) in run.append([event]) }
            contents.approvals[id] = record
            return record
        }
    }
}
