/// How one task ended.
enum TaskOutcome: Sendable {
    /// Finished (or parked): the result to commit, with the events of its attempts.
    case finished(StepResult, events: [EventDraft], consumedSignals: [Int64])
    /// Every attempt (and the fallback) failed.
    case failed(NodeError, events: [EventDraft])
}

/// Executes one task: attempts with timeouts and backoff, the success criterion, the fallback,
/// and the translation of the node's output into state writes. One per run: an object, so that
/// handing it to each step costs one reference.
final class StepExecutor: Sendable {
    let workflow: Workflow
    let store: any Store
    let run: RunID
    let input: JSON
    let runner: NodeRunner
    let random: @Sendable () -> Double
    /// When the run started (milliseconds since 1970), for its wall-time budget.
    let runStartedAt: Int64
    /// The workflow's policies, for the steps that act (agents and tools).
    let governance: Governance?

    init(
        workflow: Workflow, store: any Store, run: RunID, input: JSON, runner: NodeRunner, random: @escaping @Sendable () -> Double, runStartedAt: Int64,
        environment: String? = nil, tags: [String] = []
    ) {
        self.workflow = workflow
        self.store = store
        self.run = run
        self.input = input
        self.runner = runner
        self.random = random
        self.runStartedAt = runStartedAt
        self.governance = workflow.policyEngine.map { Governance(policies: $0, workflow: workflow.name, environment: environment, tags: tags) }
    }

    /// Executes `task` on `state`; `signals` are the run's waiting signals (read only for
    /// supersteps with a `wait` node); `spent` is what the run had spent when the superstep began,
    /// and `budgetScale` what extensions had multiplied its budget by.
    func execute(_ task: TaskSpec, state: JSON, signals: [SignalRecord] = [], spent: Spending? = nil, budgetScale: Double? = nil) async -> TaskOutcome {
        guard let node = workflow.node(task.node) else {
            return .failed(NodeError(code: "unknown_node", message: "node '\(task.node)' is not in workflow '\(workflow.name)'", retryable: false), events: [])
        }
        var events: [EventDraft] = []
        let started = EventDraft.now()
        let ledger = self.ledger(for: node, spent: spent, budgetScale: budgetScale)
        switch await runAttempts(of: node, task: task, step: task.key, state: state, signals: signals, ledger: ledger, started: started, events: &events) {
        case let .success(output, attempts):
            return finish(task, node: node, origin: node, output: output, attempts: attempts, started: started, events: events, ledger: ledger)
        case let .failure(error, attempts):
            // A limit reached is not cured by another node spending more.
            guard error != .cancelled, !error.isLimit, let fallbackID = node.policy.fallback, let fallback = workflow.node(fallbackID) else {
                events.append(EventDraft(.stepFailed, stepData(task, node: node.id, attempt: attempts, extra: ["error": error.json])))
                return .failed(error, events: events)
            }
            events.append(EventDraft(.stepFallback, stepData(task, node: node.id, attempt: attempts, extra: ["error": error.json, "fallback": .string(fallbackID)])))
            switch await runAttempts(
                of: fallback, task: task, step: "\(task.key)/fallback", state: state, signals: signals, ledger: ledger, started: EventDraft.now(), events: &events
            ) {
            case let .success(output, fallbackAttempts):
                return finish(task, node: fallback, origin: node, output: output, attempts: attempts + fallbackAttempts, started: started, events: events, ledger: ledger)
            case let .failure(fallbackError, fallbackAttempts):
                events.append(EventDraft(.stepFailed, stepData(task, node: fallback.id, attempt: fallbackAttempts, extra: ["error": fallbackError.json])))
                return .failed(fallbackError, events: events)
            }
        }
    }

    /// A ledger for a step that can spend (an agent, a tool, or a node with a budget of its own).
    private func ledger(for node: Node, spent: Spending?, budgetScale: Double?) -> BudgetLedger? {
        switch node.kind {
        case .agent, .tool: break
        default: if node.policy.budget == nil { return nil }
        }
        return BudgetLedger(
            run: workflow.limits.budget, step: node.policy.budget, runSpent: spent ?? .zero, runStartedAt: runStartedAt, runScale: budgetScale
        )
    }

    private enum AttemptsResult {
        case success(NodeOutput, attempts: Int)
        case failure(NodeError, attempts: Int)
    }

    /// Runs `node` until an attempt succeeds or the retry policy gives up; the first attempt
    /// began at `started`.
    private func runAttempts(
        of node: Node, task: TaskSpec, step: String, state: JSON, signals: [SignalRecord], ledger: BudgetLedger?, started firstStarted: Int64,
        events: inout [EventDraft]
    ) async -> AttemptsResult {
        let journal = StepJournal(store: store, run: run, step: step)
        var attempt = 1
        var started = firstStarted
        var failures: [NodeError] = []
        while true {
            let context = StepContext(
                run: run, step: step, node: node.id, attempt: attempt, state: state, input: input,
                item: task.item, index: task.itemIndex, journal: journal, previousFailures: failures, ledger: ledger, loops: workflow.limits.loops,
                governance: governance
            )
            if attempt > 1 { journal.restart() }
            do {
                let output: NodeOutput
                if let timeout = node.policy.timeout {
                    output = try await withTimeout(timeout) { [runner] in try await runner.execute(node, context: context, signals: signals) }
                } else {
                    output = try await runner.execute(node, context: context, signals: signals)
                }
                if output.waiting == nil, let criterion = node.policy.success,
                    let reason = criterion.failure(output: output.output, scope: context.scope)
                {
                    throw NodeError.criterionFailed(reason)
                }
                events.append(contentsOf: journal.takeEvents())
                return .success(output, attempts: attempt)
            } catch where error is CancellationError || Task.isCancelled {
                events.append(contentsOf: journal.takeEvents())
                return .failure(NodeError.cancelled, attempts: attempt)
            } catch {
                let failure = NodeError(wrapping: error)
                let retry = node.policy.retry.shouldRetry(failure, afterAttempt: attempt)
                let delay = retry ? node.policy.retry.backoff(afterAttempt: attempt, random: random()) : nil
                var extra: [String: JSON] = ["error": failure.json, "duration_ms": .int(Int(EventDraft.now() - started)), "will_retry": .bool(retry)]
                if let delay { extra["retry_in_ms"] = .int(Int(delay.seconds * 1000)) }
                let attemptEvents = journal.takeEvents() + [EventDraft(.stepAttemptFailed, stepData(task, node: node.id, attempt: attempt, extra: extra))]
                // Failed attempts are journaled at once, so that they stay on record whatever happens next.
                if (try? await store.appendEvents(run: run, attemptEvents)) == nil { events.append(contentsOf: attemptEvents) }
                guard let delay else { return .failure(failure, attempts: attempt) }
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    return .failure(NodeError.cancelled, attempts: attempt)
                }
                failures.append(failure)
                attempt += 1
                started = EventDraft.now()
            }
        }
    }

    /// The outcome of a task whose node (`origin`, or its fallback `node`) produced `output`.
    private func finish(
        _ task: TaskSpec, node: Node, origin: Node, output: NodeOutput, attempts: Int, started: Int64, events: [EventDraft], ledger: BudgetLedger?
    ) -> TaskOutcome {
        var events = events
        let writes: [StateWrite]
        do {
            writes = try self.writes(for: task, node: node, output: output)
        } catch {
            let failure = NodeError(code: "invalid_output", message: "\(error)", retryable: false)
            events.append(EventDraft(.stepFailed, stepData(task, node: node.id, attempt: attempts, extra: ["error": failure.json])))
            return .failed(failure, events: events)
        }
        let result = StepResult(
            key: task.key, node: task.node, status: output.waiting == nil ? .completed : .waiting, output: output.output,
            writes: writes, routes: output.routes, waitingFor: output.waiting, attempts: attempts, spent: ledger.flatMap { $0.spent.isZero ? nil : $0.spent },
            budgetScale: ledger.flatMap { $0.runScale == 1 ? nil : $0.runScale }
        )
        if let waiting = output.waiting {
            events.append(EventDraft(.stepWaiting, stepData(task, node: node.id, attempt: attempts, extra: ["waiting_for": waiting.json])))
        } else {
            let now = EventDraft.now()
            var data = StepEventData(
                step: task.key, node: node.id, attempt: attempts, itemIndex: task.itemIndex, started: started,
                durationMilliseconds: Int(now - started), writes: writes
            )
            if let routes = output.routes {
                data.routes = routes
            } else if !task.isMapItem, case .map = origin.kind {
                data.items = output.output.arrayValue?.count ?? 0
            } else if output.writes != nil || writes.isEmpty {
                // The writes do not already carry the output: record it.
                data.output = output.output
            }
            events.append(EventDraft(.stepSucceeded, payload: .step(data), time: now))
        }
        return .finished(result, events: events, consumedSignals: output.consumedSignals)
    }

    /// How an output becomes state writes: a map element writes to the map's key; a node with
    /// `into` writes its whole output there; otherwise an object's members are the writes.
    private func writes(for task: TaskSpec, node: Node, output: NodeOutput) throws(StateError) -> [StateWrite] {
        if output.waiting != nil { return [] }
        if task.isMapItem, let origin = workflow.node(task.origin), case let .map(spec) = origin.kind {
            return [StateWrite(key: spec.into, value: output.output)]
        }
        if let writes = output.writes { return writes }
        if let into = node.into { return [StateWrite(key: into, value: output.output)] }
        switch output.output {
        case .null: return []
        case let .object(members):
            var writes: [StateWrite] = []
            writes.reserveCapacity(members.count)
            JSON.forEachSorted(members) { _, key, value in writes.append(StateWrite(key: key, value: value)) }
            return writes
        default: throw StateError.outputNotAnObject(node: node.id, found: output.output)
        }
    }

    private func stepData(_ task: TaskSpec, node: String, attempt: Int, extra: consuming [String: JSON]) -> JSON {
        var members = extra
        StepEventData.identify(step: task.key, node: node, attempt: attempt, itemIndex: task.itemIndex, in: &members)
        return .object(members)
    }
}

extension NodeError {
    /// The step's task was cancelled: by a cancel request, or because its process is shutting down.
    static let cancelled = NodeError(code: "cancelled", message: "the step was cancelled", retryable: false)

    var json: JSON { ["code": .string(code), "message": .string(message), "retryable": .bool(retryable)] }
}
