import Synchronization

/// A store that keeps everything in memory: for tests and throwaway runs. Same semantics as the
/// durable stores (it passes the same conformance suite), nothing survives the process.
public final class InMemoryStore: Store {
    private struct Contents {
        var workflows: [String: StoredWorkflow] = [:]
        var runs: [RunID: RunRecord] = [:]
        var events: [RunID: [Event]] = [:]
        var results: [RunID: [Int: [String: StepResult]]] = [:]
        var resultOrder: [RunID: [Int: [String]]] = [:]
        var effects: [RunID: [String: [Int: JSON]]] = [:]
        var checkpoints: [RunID: [CheckpointRecord]] = [:]
        var signals: [RunID: [SignalRecord]] = [:]
        var nextSignal: Int64 = 1
    }

    private let contents = Mutex(Contents())

    public init() {}

    public func saveWorkflow(_ workflow: StoredWorkflow) async throws {
        contents.withLock { $0.workflows[workflow.hash] = workflow }
    }

    public func workflow(hash: String) async throws -> StoredWorkflow? {
        contents.withLock { $0.workflows[hash] }
    }

    public func createRun(_ run: RunRecord, events: [EventDraft]) async throws {
        try contents.withLock { contents throws(StoreError) in
            guard contents.runs[run.id] == nil else { throw StoreError.runAlreadyExists(run.id) }
            var run = run
            let sealed = EventChain.seal(events, run: run.id, after: 0, lastHash: EventChain.genesis)
            run.lastSeq = sealed.last?.seq ?? 0
            run.lastHash = sealed.last?.hash ?? EventChain.genesis
            contents.runs[run.id] = run
            contents.events[run.id] = sealed
            contents.checkpoints[run.id] = [
                CheckpointRecord(run.checkpoint, writes: InMemoryStore.initialWrites(run.checkpoint.state), time: run.createdAt)
            ]
        }
    }

    static func initialWrites(_ state: JSON) -> [StateWrite] {
        guard case let .object(members) = state else { return [] }
        return JSON.sortedKeys(members).map { StateWrite(key: $0, value: members[$0] ?? .null) }
    }

    public func run(_ id: RunID) async throws -> RunRecord? {
        contents.withLock { $0.runs[id] }
    }

    public func runs(_ query: RunQuery) async throws -> [RunRecord] {
        contents.withLock { contents in
            contents.runs.values
                .filter { query.status == nil || $0.status == query.status }
                .filter { query.workflow == nil || $0.workflowName == query.workflow }
                .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
                .prefix(query.limit)
                .map { $0 }
        }
    }

    public func acquireLease(run id: RunID, owner: LeaseOwner, duration: Duration) async throws -> RunRecord {
        try contents.withLock { contents throws(StoreError) in
            guard var run = contents.runs[id] else { throw StoreError.runNotFound(id) }
            let now = EventDraft.now()
            if run.isLeased(byOtherThan: owner, now: now), let holder = run.leaseOwner {
                throw StoreError.leaseHeld(id, by: holder.description)
            }
            run.leaseOwner = owner
            run.leaseExpiresAt = now + Int64(duration.seconds * 1000)
            contents.runs[id] = run
            return run
        }
    }

    public func releaseLease(run id: RunID, owner: LeaseOwner) async throws {
        contents.withLock { contents in
            guard var run = contents.runs[id], run.leaseOwner?.id == owner.id else { return }
            run.leaseOwner = nil
            run.leaseExpiresAt = nil
            contents.runs[id] = run
        }
    }

    public func stepResults(run: RunID, superstep: Int) async throws -> [StepResult] {
        contents.withLock { contents in
            let byKey = contents.results[run]?[superstep] ?? [:]
            return (contents.resultOrder[run]?[superstep] ?? []).compactMap { byKey[$0] }
        }
    }

    public func commit(_ commit: StepCommit) async throws -> CommitReceipt {
        try contents.withLock { contents throws(StoreError) in
            guard var run = contents.runs[commit.run] else { throw StoreError.runNotFound(commit.run) }
            guard run.leaseOwner?.id == commit.owner.id else { throw StoreError.leaseLost(commit.run) }
            if let result = commit.result {
                if contents.results[commit.run, default: [:]][commit.superstep, default: [:]][result.key] == nil {
                    contents.resultOrder[commit.run, default: [:]][commit.superstep, default: []].append(result.key)
                }
                contents.results[commit.run, default: [:]][commit.superstep, default: [:]][result.key] = result
            }
            let sealed = EventChain.seal(commit.events, run: commit.run, after: run.lastSeq, lastHash: run.lastHash)
            contents.events[commit.run, default: []].append(contentsOf: sealed)
            if let last = sealed.last {
                run.lastSeq = last.seq
                run.lastHash = last.hash
            }
            if !commit.consumedSignals.isEmpty {
                let consumed = Set(commit.consumedSignals)
                contents.signals[commit.run]?.removeAll { consumed.contains($0.id) }
            }
            let now = commit.events.last?.time ?? EventDraft.now()
            if let advance = commit.advance {
                if let checkpoint = advance.checkpoint {
                    run.checkpoint = checkpoint
                    contents.checkpoints[commit.run, default: []].append(CheckpointRecord(checkpoint, writes: advance.writes, time: now))
                    contents.results[commit.run]?[commit.superstep] = nil
                    contents.resultOrder[commit.run]?[commit.superstep] = nil
                }
                run.status = advance.status
                run.waitingFor = advance.waitingFor
                if advance.status.isTerminal || advance.status == .waiting {
                    run.leaseOwner = nil
                    run.leaseExpiresAt = nil
                }
                if let output = advance.output { run.output = output }
                if let reason = advance.reason { run.reason = reason }
            }
            run.updatedAt = now
            contents.runs[commit.run] = run
            return CommitReceipt(cancelRequested: run.cancelRequested, lastSeq: run.lastSeq)
        }
    }

    public func effects(run: RunID, step: String) async throws -> [Int: JSON] {
        contents.withLock { $0.effects[run]?[step] ?? [:] }
    }

    public func recordEffect(_ effect: EffectRecord) async throws {
        try contents.withLock { contents throws(StoreError) in
            guard var run = contents.runs[effect.run] else { throw StoreError.runNotFound(effect.run) }
            contents.effects[effect.run, default: [:]][effect.step, default: [:]][effect.index] = effect.value
            let sealed = EventChain.seal([effect.event], run: effect.run, after: run.lastSeq, lastHash: run.lastHash)
            contents.events[effect.run, default: []].append(contentsOf: sealed)
            if let last = sealed.last {
                run.lastSeq = last.seq
                run.lastHash = last.hash
            }
            contents.runs[effect.run] = run
        }
    }

    public func appendEvents(run id: RunID, _ events: [EventDraft]) async throws {
        try contents.withLock { contents throws(StoreError) in
            guard var run = contents.runs[id] else { throw StoreError.runNotFound(id) }
            let sealed = EventChain.seal(events, run: id, after: run.lastSeq, lastHash: run.lastHash)
            contents.events[id, default: []].append(contentsOf: sealed)
            if let last = sealed.last {
                run.lastSeq = last.seq
                run.lastHash = last.hash
            }
            contents.runs[id] = run
        }
    }

    public func events(run: RunID, after: Int, limit: Int) async throws -> [Event] {
        contents.withLock { contents in
            let all = contents.events[run] ?? []
            guard after < all.count else { return [] }
            return Array(all[max(0, after)...].prefix(limit))
        }
    }

    public func checkpoints(run: RunID) async throws -> [CheckpointRecord] {
        contents.withLock { $0.checkpoints[run] ?? [] }
    }

    public func deliverSignal(run id: RunID, name: String, payload: JSON) async throws {
        try contents.withLock { contents throws(StoreError) in
            guard var run = contents.runs[id] else { throw StoreError.runNotFound(id) }
            let time = EventDraft.now()
            contents.signals[id, default: []].append(SignalRecord(id: contents.nextSignal, run: id, name: name, payload: payload, time: time))
            contents.nextSignal += 1
            let sealed = EventChain.seal(
                [EventDraft(.signalReceived, ["name": .string(name), "payload": payload], time: time)],
                run: id, after: run.lastSeq, lastHash: run.lastHash
            )
            contents.events[id, default: []].append(contentsOf: sealed)
            run.lastSeq = sealed[0].seq
            run.lastHash = sealed[0].hash
            contents.runs[id] = run
        }
    }

    public func signals(run: RunID) async throws -> [SignalRecord] {
        contents.withLock { $0.signals[run] ?? [] }
    }

    public func requestCancel(run id: RunID, reason: String) async throws -> RunRecord {
        try contents.withLock { contents throws(StoreError) in
            guard var run = contents.runs[id] else { throw StoreError.runNotFound(id) }
            guard !run.status.isTerminal else { return run }
            let now = EventDraft.now()
            var drafts = [EventDraft(.runCancelRequested, ["reason": .string(reason)], time: now)]
            run.cancelRequested = true
            if !run.isLeased(byOtherThan: nil, now: now) {
                run.status = .cancelled
                run.reason = reason
                run.waitingFor = []
                drafts.append(EventDraft(.runCancelled, ["reason": .string(reason)], time: now))
            }
            let sealed = EventChain.seal(drafts, run: id, after: run.lastSeq, lastHash: run.lastHash)
            contents.events[id, default: []].append(contentsOf: sealed)
            run.lastSeq = sealed.last?.seq ?? run.lastSeq
            run.lastHash = sealed.last?.hash ?? run.lastHash
            run.updatedAt = now
            contents.runs[id] = run
            return run
        }
    }
}
