/// Drives one run, superstep by superstep, until it finishes or parks. One driver per run at a
/// time: it holds the run's lease.
struct RunDriver: Sendable {
    let engine: Engine
    let workflow: Workflow
    let owner: LeaseOwner
    /// True when the run was just created by this engine; otherwise driving it is a resumption,
    /// recorded as a `run.resumed` event.
    let fresh: Bool

    private var store: any Store { engine.store }

    /// Drives run `id`. `created` is the record `Engine.run` just created, already leased to this
    /// driver, which saves taking the lease again.
    func drive(_ id: RunID, created: RunRecord? = nil) async throws -> RunResult {
        var record: RunRecord
        if let created, created.leaseOwner?.id == owner.id {
            record = created
        } else {
            record = try await store.acquireLease(run: id, owner: owner, duration: engine.options.leaseDuration)
        }
        do {
            let result = try await loop(&record)
            // A commit that ends or parks a run releases its lease in the same transaction.
            if !result.status.isTerminal && result.status != .waiting {
                try? await store.releaseLease(run: id, owner: owner)
            }
            return result
        } catch {
            if Task.isCancelled || error is CancellationError, let latest = try? await store.run(id), latest.cancelRequested {
                let result = try await finish(latest, status: .cancelled, output: nil, reason: latest.reason ?? "cancelled", event: .runCancelled)
                try? await store.releaseLease(run: id, owner: owner)
                return result
            }
            try? await store.releaseLease(run: id, owner: owner)
            throw error
        }
    }

    private func loop(_ record: inout RunRecord) async throws -> RunResult {
        if record.status.isTerminal { return RunResult(record) }
        if record.cancelRequested {
            return try await finish(record, status: .cancelled, output: nil, reason: record.reason ?? "cancelled", event: .runCancelled)
        }
        if !fresh || record.status != .running {
            let receipt = try await store.commit(StepCommit(
                run: record.id, owner: owner, superstep: record.checkpoint.superstep,
                events: [EventDraft(.runResumed, ["superstep": .int(record.checkpoint.superstep)])],
                advance: RunAdvance(status: .running)
            ))
            record.status = .running
            if receipt.cancelRequested {
                return try await finish(record, status: .cancelled, output: nil, reason: "cancelled", event: .runCancelled)
            }
        }
        let planner = SuperstepPlanner(workflow: workflow)
        let executor = StepExecutor(
            workflow: workflow, store: store, run: record.id, input: record.input,
            runner: NodeRunner(
                tools: engine.tools, agents: engine.agents, limits: workflow.limits,
                runChild: { [engine] call, input, child, context in try await engine.runChild(call, input: input, id: child, parent: context) }
            ),
            random: engine.options.random, runStartedAt: record.createdAt, environment: engine.options.environment, tags: record.tags
        )
        var leaseRenewedAt = EventDraft.now()
        var planned = fresh && record.checkpoint.superstep == 0
        var turn = 0
        while true {
            let checkpoint = record.checkpoint
            if checkpoint.frontier.isEmpty {
                return try await succeed(record)
            }
            if EventDraft.now() - leaseRenewedAt > Int64(engine.options.leaseDuration.seconds * 500) {
                record = try await store.acquireLease(run: record.id, owner: owner, duration: engine.options.leaseDuration)
                leaseRenewedAt = EventDraft.now()
            }
            switch try await runSuperstep(record, planner: planner, executor: executor, fresh: planned) {
            case let .advanced(next):
                record.checkpoint = next
                planned = true
                turn += 1
                // A turn is over: hand the run back (`drive` releases the lease) for others to go first.
                if let limit = engine.options.superstepsPerTurn, turn >= limit, !next.frontier.isEmpty {
                    return RunResult(id: record.id, status: .running, output: nil, reason: "handed back after \(turn) supersteps", waitingFor: [])
                }
            case let .ended(result):
                return result
            case let .parked(conditions):
                let timers = conditions.compactMap(\.deadline)
                let onlyTimers = conditions.allSatisfy { $0.signal == nil && $0.child == nil && $0.approval == nil && $0.deadline != nil }
                guard onlyTimers, let due = timers.min(),
                    Double(due - EventDraft.now()) / 1000 <= engine.options.inProcessTimerLimit.seconds
                else {
                    return RunResult(id: record.id, status: .waiting, output: nil, reason: nil, waitingFor: conditions)
                }
                let delay = max(0, due - EventDraft.now())
                try await Task.sleep(for: .milliseconds(delay))
                // Parking released the lease: take it again (someone else may have resumed the run).
                record = try await store.acquireLease(run: record.id, owner: owner, duration: engine.options.leaseDuration)
                if record.status != .waiting { return RunResult(record) }
                if record.cancelRequested {
                    return try await finish(record, status: .cancelled, output: nil, reason: record.reason ?? "cancelled", event: .runCancelled)
                }
                let receipt = try await store.commit(StepCommit(
                    run: record.id, owner: owner, superstep: record.checkpoint.superstep,
                    events: [EventDraft(.runResumed, ["superstep": .int(record.checkpoint.superstep), "reason": "timer"])],
                    advance: RunAdvance(status: .running)
                ))
                if receipt.cancelRequested {
                    return try await finish(record, status: .cancelled, output: nil, reason: "cancelled", event: .runCancelled)
                }
                record.status = .running
                planned = false
            }
        }
    }

    private enum SuperstepEnd {
        case advanced(Checkpoint)
        case parked([WaitCondition])
        case ended(RunResult)
    }

    /// Executes the unfinished tasks of the current superstep side by side and commits each as it
    /// finishes; the commit of the last one also carries the next checkpoint.
    /// `fresh` says the superstep was just planned by this driver, so no task has a result yet.
    private func runSuperstep(_ record: RunRecord, planner: SuperstepPlanner, executor: StepExecutor, fresh: Bool) async throws -> SuperstepEnd {
        let checkpoint = record.checkpoint
        let frontier = checkpoint.frontier
        var results: [String: StepResult] = [:]
        if !fresh {
            for result in try await store.stepResults(run: record.id, superstep: checkpoint.superstep) where result.status == .completed {
                results[result.key] = result
            }
        }
        let pending = results.isEmpty ? frontier : frontier.filter { results[$0.key] == nil }
        let signals = try await signals(for: pending, run: record.id)
        let state = checkpoint.state
        var waiting: [String: StepResult] = [:]
        var outstanding = pending.count
        let limit = workflow.limits.maxConcurrency

        // One task (a chain): run it inline, without the cost of a child task and a thread hop.
        if pending.count == 1, frontier.count == 1, let task = pending.first {
            let outcome = await executor.execute(task, state: state, signals: signals, spent: checkpoint.spent, budgetScale: checkpoint.budgetScale)
            return try await settle(
                task, outcome, record: record, planner: planner, results: &results, waiting: &waiting, outstanding: 0
            ) ?? .parked(frontier.compactMap { waiting[$0.key]?.waitingFor })
        }

        return try await withThrowingTaskGroup(of: (TaskSpec, TaskOutcome).self) { group in
            var queue = pending[...]
            func startNext() {
                guard let task = queue.popFirst() else { return }
                group.addTask { [spent = checkpoint.spent, scale = checkpoint.budgetScale] in
                    (task, await executor.execute(task, state: state, signals: signals, spent: spent, budgetScale: scale))
                }
            }
            for _ in 0..<min(limit, pending.count) { startNext() }

            while let (task, outcome) = try await group.next() {
                outstanding -= 1
                if let end = try await settle(
                    task, outcome, record: record, planner: planner, results: &results, waiting: &waiting, outstanding: outstanding
                ) {
                    group.cancelAll()
                    return end
                }
                startNext()
            }
            throw CancellationError()
        }
    }

    /// Commits one finished task; with the last one of the superstep, plans and commits the advance.
    /// Returns how the superstep ended, or `nil` while tasks are outstanding.
    private func settle(
        _ task: TaskSpec, _ outcome: consuming TaskOutcome, record: RunRecord, planner: SuperstepPlanner,
        results: inout [String: StepResult], waiting: inout [String: StepResult], outstanding: Int
    ) async throws -> SuperstepEnd? {
        switch consume outcome {
        case let .failed(error, events):
            if error == .cancelled {
                // A cancel request ends the run; a process shutting down leaves it to be resumed.
                guard let latest = try await store.run(record.id), latest.cancelRequested else { throw CancellationError() }
                return .ended(try await finish(latest, status: .cancelled, output: nil, reason: latest.reason ?? "cancelled", event: .runCancelled, extraEvents: events))
            }
            if error.isLimit {
                // A budget, an agent's limit or a loop: the run stops with what it has so far.
                let reason = "node '\(task.node)': \(error.message)"
                let ended = try await finish(
                    record, status: .limitExceeded, output: record.checkpoint.state, reason: reason, event: .runLimitExceeded, extraEvents: events, error: error
                )
                return .ended(ended)
            }
            let reason = "node '\(task.node)' failed: \(error.message)"
            return .ended(try await finish(record, status: .failed, output: nil, reason: reason, event: .runFailed, extraEvents: events, error: error))
        case let .finished(result, events, consumed):
            let (commit, ended, next) = conclude(
                task, result, events: events, consumedSignals: consumed, record: record, planner: planner, results: &results, waiting: &waiting,
                outstanding: outstanding
            )
            let receipt = try await store.commit(consume commit)
            if let ended { return .ended(ended) }
            if receipt.cancelRequested {
                guard let latest = try await store.run(record.id) else { throw StoreError.runNotFound(record.id) }
                return .ended(try await finish(latest, status: .cancelled, output: nil, reason: latest.reason ?? "cancelled", event: .runCancelled))
            }
            if let next { return .advanced(next) }
            if outstanding == 0 { return .parked(record.checkpoint.frontier.compactMap { waiting[$0.key]?.waitingFor }) }
            return nil
        }
    }

    /// The commit of one finished task and, with the last one of the superstep, the plan of the
    /// next: a function of its own, off the async path, so that the values it builds live on the
    /// stack rather than in the task's frame. Returns the commit, the run's end if the commit
    /// ends it, and the next checkpoint if it completes the superstep.
    private func conclude(
        _ task: TaskSpec, _ result: consuming StepResult, events: consuming [EventDraft], consumedSignals: [Int64], record: RunRecord,
        planner: SuperstepPlanner, results: inout [String: StepResult], waiting: inout [String: StepResult], outstanding: Int
    ) -> (StepCommit, ended: RunResult?, next: Checkpoint?) {
        let checkpoint = record.checkpoint
        let frontier = checkpoint.frontier
        // A superstep of one task needs no table of its results.
        let alone = frontier.count == 1 && result.status == .completed
        if result.status == .waiting { waiting[result.key] = copy result } else if !alone { results[result.key] = copy result }
        var events = events
        var advance: RunAdvance?
        var ended: RunResult?
        var next: Checkpoint?
        if outstanding == 0 {
            if waiting.isEmpty {
                let plan = alone
                    ? planner.plan(after: checkpoint, results: CollectionOfOne(copy result), input: record.input)
                    : planner.plan(after: checkpoint, results: frontier.compactMap { results[$0.key] }, input: record.input)
                switch plan {
                case let .next(checkpoint, writes):
                    next = checkpoint
                    if let unchanged = checkpoint.unchangedSupersteps, unchanged == workflow.limits.loops.unchangedStateSteps {
                        events.append(EventDraft(.loopDetected, [
                            "unchanged_supersteps": .int(unchanged), "action": .string(workflow.limits.loops.action.rawValue),
                            "detail": .string("the state has not changed for \(unchanged) supersteps"),
                        ]))
                    }
                    // A superstep of one step: its event says what comes next (one event per step).
                    var recorded = false
                    if frontier.count == 1, let last = events.indices.last { recorded = events[last].recordNext(checkpoint.frontier) }
                    if !recorded {
                        events.append(EventDraft(.superstepCompleted, [
                            "superstep": .int(checkpoint.superstep - 1), "next": .array(checkpoint.frontier.map { .string($0.node) }),
                        ]))
                    }
                    if checkpoint.frontier.isEmpty {
                        // The last step: the run's end rides on the same commit.
                        let end = completion(state: checkpoint.state, input: record.input)
                        events.append(end.event)
                        advance = RunAdvance(checkpoint: checkpoint, writes: writes, status: end.result.status, output: end.result.output, reason: end.result.reason)
                        ended = RunResult(id: record.id, status: end.result.status, output: end.result.output, reason: end.result.reason)
                    } else {
                        advance = RunAdvance(checkpoint: checkpoint, writes: writes, status: .running)
                    }
                case let .limitExceeded(reason, checkpoint, writes):
                    events.append(EventDraft(.runLimitExceeded, ["reason": .string(reason), "output": checkpoint.state]))
                    advance = RunAdvance(checkpoint: checkpoint, writes: writes, status: .limitExceeded, output: checkpoint.state, reason: reason)
                    ended = RunResult(id: record.id, status: .limitExceeded, output: checkpoint.state, reason: reason)
                case let .failed(reason):
                    events.append(EventDraft(.runFailed, ["reason": .string(reason)]))
                    advance = RunAdvance(status: .failed, reason: reason)
                    ended = RunResult(id: record.id, status: .failed, reason: reason)
                }
            } else {
                let conditions = frontier.compactMap { waiting[$0.key]?.waitingFor }
                events.append(EventDraft(.runWaiting, ["waiting_for": .array(conditions.map(\.json))]))
                advance = RunAdvance(status: .waiting, waitingFor: conditions)
            }
        }
        let commit = StepCommit(
            run: record.id, owner: owner, superstep: checkpoint.superstep, result: consume result, events: consume events,
            advance: consume advance, consumedSignals: consumedSignals
        )
        return (commit, ended, next)
    }

    /// The run's waiting signals when one of `tasks` is a `wait` node (none otherwise: they are not read).
    private func signals(for tasks: [TaskSpec], run: RunID) async throws -> [SignalRecord] {
        guard workflow.hasWaitNodes, tasks.contains(where: { workflow.node($0.node).map(Self.isWait) ?? false }) else { return [] }
        return try await store.signals(run: run)
    }

    private static func isWait(_ node: Node) -> Bool {
        if case .wait = node.kind { return true }
        return false
    }

    private func succeed(_ record: RunRecord) async throws -> RunResult {
        let end = completion(state: record.checkpoint.state, input: record.input)
        return try await finish(record, status: end.result.status, output: end.result.output, reason: end.result.reason, event: end.event.type)
    }

    /// How a run with nothing left to do ends: succeeded with its output, or failed when the
    /// workflow's output mapping cannot be built.
    private func completion(state: JSON, input: JSON) -> (result: RunResult, event: EventDraft) {
        do {
            let output = try workflow.output?.resolve(in: ["state": state, "input": input]) ?? state
            return (RunResult(id: "", status: .succeeded, output: output), EventDraft(.runSucceeded, ["output": output]))
        } catch {
            let reason = "the workflow's output could not be built: \(error)"
            return (RunResult(id: "", status: .failed, reason: reason), EventDraft(.runFailed, ["reason": .string(reason)]))
        }
    }

    private func finish(
        _ record: RunRecord, status: RunStatus, output: JSON?, reason: String?, event: EventType, extraEvents: [EventDraft] = [],
        error: NodeError? = nil
    ) async throws -> RunResult {
        var data: [String: JSON] = [:]
        if let output { data["output"] = output }
        if let reason { data["reason"] = .string(reason) }
        if let error { data["error"] = error.json }
        _ = try await store.commit(StepCommit(
            run: record.id, owner: owner, superstep: record.checkpoint.superstep,
            events: extraEvents + [EventDraft(event, .object(data))],
            advance: RunAdvance(status: status, output: output, reason: reason)
        ))
        return RunResult(id: record.id, status: status, output: output, reason: reason)
    }
}
