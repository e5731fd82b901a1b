import Synchronization

/// Runs workflows durably on a ``Store``.
///
/// ```swift
/// let engine = Engine(store: InMemoryStore())
/// let result = try await engine.run(workflow, input: ["topic": "otters"])
/// ```
///
/// Each finished step is committed in one transaction (its events, its state writes and, when it
/// completes a superstep, the next checkpoint). A run interrupted at any instruction continues
/// with ``resume(_:)``: finished steps are not re-run, and effects journaled by an unfinished step
/// return their recorded results.
public final class Engine: Sendable {
    public let store: any Store
    public let options: EngineOptions
    public let tools: (any ToolInvoker)?
    public let agents: (any AgentInvoker)?
    /// Turns a stored workflow document back into a workflow (for runs of workflows that are not
    /// registered in this process). `BatonSpec` provides one for YAML.
    public let loader: (@Sendable (StoredWorkflow) throws -> Workflow)?

    let owner: LeaseOwner
    /// Workflows by name and by version, and the versions known to be in the store (a version is
    /// never changed or removed there, so it is read once per engine, not once per run).
    private let registry = Mutex<(byName: [String: Workflow], byHash: [String: Workflow], stored: Set<String>)>(([:], [:], []))
    /// The runs this engine is executing, for ``cancel(_:reason:)``.
    private let active = Mutex<[RunID: ActiveRun]>([:])

    public init(
        store: any Store, options: EngineOptions = EngineOptions(), tools: (any ToolInvoker)? = nil, agents: (any AgentInvoker)? = nil,
        loader: (@Sendable (StoredWorkflow) throws -> Workflow)? = nil
    ) {
        self.store = store
        self.options = options
        self.owner = options.owner ?? LeaseOwner.current()
        self.tools = tools
        self.agents = agents
        self.loader = loader
    }

    // MARK: Workflows

    /// Makes a workflow known by name (for `workflow` nodes) and by version (for resuming its runs).
    public func register(_ workflow: Workflow) {
        let hash = workflow.contentHash
        registry.withLock {
            $0.byName[workflow.name] = workflow
            $0.byHash[hash] = workflow
        }
    }

    /// Registers `workflow` and stores its version, with the document it came from if any.
    @discardableResult
    public func prepare(_ workflow: Workflow, source: StoredWorkflow? = nil) async throws -> String {
        register(workflow)
        let hash = workflow.contentHash
        if registry.withLock({ $0.stored.contains(hash) }) { return hash }
        if try await store.workflow(hash: hash) == nil {
            var stored = source ?? StoredWorkflow(hash: hash, name: workflow.name, versionLabel: workflow.versionLabel, format: "swift", source: workflow.structure.canonicalString)
            stored.hash = hash
            try await store.saveWorkflow(stored)
        }
        registry.withLock { _ = $0.stored.insert(hash) }
        return hash
    }

    func workflow(for record: RunRecord) async throws -> Workflow {
        if let known = registry.withLock({ $0.byHash[record.workflowHash] }) { return known }
        guard let stored = try await store.workflow(hash: record.workflowHash) else {
            throw EngineError.workflowNotLoadable(name: record.workflowName, hash: record.workflowHash, reason: "the store does not have this version")
        }
        guard let loader, stored.format != "swift" else {
            throw EngineError.workflowNotLoadable(
                name: record.workflowName, hash: record.workflowHash,
                reason: "it was built in Swift; register the same workflow with the engine before resuming"
            )
        }
        let workflow: Workflow
        do {
            workflow = try loader(stored)
        } catch {
            throw EngineError.workflowNotLoadable(name: record.workflowName, hash: record.workflowHash, reason: "\(error)")
        }
        register(workflow)
        return workflow
    }

    // MARK: Runs

    /// Creates a run of `workflow` on `input` and returns its id without executing it.
    /// `tags` label the run for policies (`subject: { tags: [eu] }`) and for people reading the runs.
    public func start(_ workflow: Workflow, input: JSON = [:], id: RunID? = nil, parent: RunParent? = nil, tags: [String] = []) async throws -> RunID {
        try await createRecord(workflow, input: input, id: id, parent: parent, tags: tags, leased: false).id
    }

    /// Creates a run; a leased one is created running and owned by this engine, ready to drive
    /// without a further commit.
    private func createRecord(
        _ workflow: Workflow, input: JSON, id: RunID?, parent: RunParent?, tags: [String], leased: Bool
    ) async throws -> RunRecord {
        guard case .object = input else {
            throw EngineError.invalidInput("a run's input must be a JSON object, not \(input.typeName)")
        }
        if let schema = workflow.inputSchema {
            let validation = schema.validate(input)
            if !validation.isValid {
                throw EngineError.invalidInput(validation.errors.map { $0.description }.joined(separator: "; "))
            }
        }
        let hash = try await prepare(workflow)
        let id = id ?? RunID.generate()
        let state = JSON.object(workflow.state.initialState(input: input))
        var visits: [String: Int] = [:]
        for node in workflow.entry { visits[node, default: 0] += 1 }
        let checkpoint = Checkpoint(
            superstep: 0, state: state,
            frontier: workflow.entry.enumerated().map { TaskSpec(key: "0.\($0.offset)", node: $0.element) }, visits: visits
        )
        let now = EventDraft.now()
        var record = RunRecord(
            id: id, workflowName: workflow.name, workflowHash: hash, status: leased ? .running : .pending, input: input,
            checkpoint: checkpoint, parent: parent, createdAt: now, updatedAt: now, tags: tags
        )
        if leased {
            record.leaseOwner = owner
            record.leaseExpiresAt = now + Int64(options.leaseDuration.seconds * 1000)
        }
        var data: [String: JSON] = [
            "workflow": .string(workflow.name), "version": .string(workflow.versionName), "workflow_hash": .string(hash), "input": input,
        ]
        if let parent { data["parent"] = ["run": .string(parent.run.rawValue), "relation": .string(parent.relation.rawValue), "at": .string(parent.at)] }
        if !tags.isEmpty { data["tags"] = .array(tags.map(JSON.string)) }
        try await store.createRun(record, events: [EventDraft(.runStarted, .object(data), time: now)])
        return record
    }

    /// Creates a run and executes it until it finishes or parks.
    /// `tags` label the run for policies (`subject: { tags: [eu] }`) and for people reading the runs.
    public func run(_ workflow: Workflow, input: JSON = [:], id: RunID? = nil, tags: [String] = []) async throws -> RunResult {
        let record = try await createRecord(workflow, input: input, id: id, parent: nil, tags: tags, leased: true)
        return try await execute(record.id, workflow: workflow, created: record)
    }

    /// Continues a run that was interrupted, is waiting, or was created with ``start(_:input:id:parent:)``.
    /// A finished run returns its result unchanged.
    public func resume(_ id: RunID) async throws -> RunResult {
        guard let record = try await store.run(id) else { throw StoreError.runNotFound(id) }
        if record.status.isTerminal { return RunResult(record) }
        return try await execute(id, workflow: try await workflow(for: record))
    }

    private func execute(_ id: RunID, workflow: Workflow, created: RunRecord? = nil) async throws -> RunResult {
        let driver = RunDriver(engine: self, workflow: workflow, owner: owner, fresh: created != nil)
        // The run starts on this thread and stays there until it first suspends (a run that never
        // suspends costs no thread hop); it is known to `cancel` from before it starts.
        active.withLock { $0[id] = .starting(cancelled: false) }
        defer { _ = active.withLock { $0.removeValue(forKey: id) } }
        let task = startImmediately { try await driver.drive(id, created: created) }
        let cancelledWhileStarting = active.withLock { active in
            defer { active[id] = .running(task) }
            if case .starting(cancelled: true) = active[id] { return true }
            return false
        }
        if cancelledWhileStarting { task.cancel() }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Delivers a named signal to a run and, if the run (or a child run it waits on) was waiting
    /// for it, executes it until it finishes or parks again.
    @discardableResult
    public func signal(_ id: RunID, name: String, payload: JSON = .null) async throws -> RunResult {
        guard let record = try await store.run(id) else { throw StoreError.runNotFound(id) }
        if record.status.isTerminal { throw EngineError.runFinished(id, record.status) }
        let waiting = try await signalTarget(record, name: name)
        try await store.deliverSignal(run: waiting ?? id, name: name, payload: payload)
        guard record.status == .waiting, waiting != nil else { return RunResult(record) }
        return try await resume(id)
    }

    /// The deepest run under `record` (itself included) that waits for `name`.
    private func signalTarget(_ record: RunRecord, name: String) async throws -> RunID? {
        for condition in record.waitingFor {
            if let child = condition.child, let childRecord = try await store.run(child),
                let target = try await signalTarget(childRecord, name: name)
            {
                return target
            }
            if condition.signal == name { return record.id }
        }
        return nil
    }

    /// Asks a run to stop. A parked run is cancelled at once; a running one stops at its next
    /// commit, and at once if it runs in this process.
    @discardableResult
    public func cancel(_ id: RunID, reason: String = "cancelled by request") async throws -> RunRecord {
        let record = try await store.requestCancel(run: id, reason: reason)
        let task = active.withLock { active -> Task<RunResult, any Error>? in
            switch active[id] {
            case .starting?:
                active[id] = .starting(cancelled: true)
                return nil
            case let .running(task)?: return task
            case nil: return nil
            }
        }
        task?.cancel()
        for condition in record.waitingFor {
            if let child = condition.child { _ = try? await cancel(child, reason: "parent run '\(id)' was cancelled") }
        }
        return try await store.run(id) ?? record
    }

    /// Starts a new run from checkpoint `superstep` of run `id`, with `edits` (state path → value)
    /// applied, and returns its id. The new run records its parent; execute it with ``resume(_:)``.
    public func fork(_ id: RunID, at superstep: Int, edits: [String: JSON] = [:]) async throws -> RunID {
        guard let record = try await store.run(id) else { throw StoreError.runNotFound(id) }
        let workflow = try await workflow(for: record)
        let history = try await store.checkpoints(run: id)
        guard let target = history.firstIndex(where: { $0.superstep == superstep }) else {
            throw EngineError.invalidFork("run '\(id)' has checkpoints 0 to \(history.last?.superstep ?? 0), not \(superstep)")
        }
        var members: [String: JSON] = [:]
        for write in history[0].writes { members[write.key] = write.value }
        for record in history[1..<(target + 1)] {
            try workflow.state.apply(record.writes, to: &members)
        }
        var state = JSON.object(members)
        for (path, value) in edits.sorted(by: { $0.key < $1.key }) {
            state = try StatePath(path).setting(value, in: state)
        }
        let base = history[target]
        let checkpoint = Checkpoint(superstep: base.superstep, state: state, frontier: base.frontier, visits: base.visits, joins: base.joins, steps: base.steps)
        let forkID = RunID.generate()
        let now = EventDraft.now()
        let parent = RunParent(run: id, relation: .fork, at: String(superstep))
        let forked = RunRecord(
            id: forkID, workflowName: record.workflowName, workflowHash: record.workflowHash, status: .pending, input: record.input,
            checkpoint: checkpoint, parent: parent, createdAt: now, updatedAt: now, tags: record.tags
        )
        var data: [String: JSON] = [
            "parent": .string(id.rawValue), "at": .int(superstep), "edits": .object(edits), "workflow": .string(workflow.name),
            "version": .string(workflow.versionName), "workflow_hash": .string(record.workflowHash),
        ]
        if !record.tags.isEmpty { data["tags"] = .array(record.tags.map(JSON.string)) }
        try await store.createRun(forked, events: [EventDraft(.runForked, .object(data), time: now)])
        return forkID
    }

    // MARK: Approvals

    /// Approval requests, newest first (by default only the pending ones).
    public func approvals(status: ApprovalStatus? = .pending, limit: Int = 100) async throws -> [ApprovalRecord] {
        try await store.approvals(status: status, limit: limit)
    }

    /// Decides approval request `id` as `user`, who must hold the request's role in `roles`, and
    /// continues its run in this process (from the outermost run above it, for a request made in a
    /// child run). An approval may carry edited `arguments` (an object), which the action then
    /// runs with.
    ///
    /// Throws ``ApprovalError`` for an unknown, decided or expired request, a user without the
    /// role, or edits that are not an object (or come with a rejection); nothing is changed then.
    @discardableResult
    public func decide(
        approval id: String, approve: Bool, as user: String, roles: Roles, comment: String? = nil, arguments: JSON? = nil
    ) async throws -> RunResult {
        guard let record = try await store.approval(id) else { throw ApprovalError.unknown(id) }
        let now = EventDraft.now()
        let decision = ApprovalDecision(approved: approve, by: user, comment: comment, arguments: arguments, decidedAt: now)
        try record.admit(decision)
        guard roles.holds(user, record.request.role) else {
            throw ApprovalError.notPermitted(id, user: user, role: record.request.role, holders: roles.holders(of: record.request.role))
        }
        if let arguments {
            guard approve else { throw ApprovalError.invalidEdit(id, reason: "only an approval can change the arguments; reject without --edit") }
            guard case .object = arguments else {
                throw ApprovalError.invalidEdit(id, reason: "the arguments must be a JSON object, not \(arguments.typeName)")
            }
        }
        _ = try await store.decideApproval(id, decision)
        return try await resume(try await outermostRun(of: record.request.run))
    }

    /// The run that `id` is a child of, through every level, or `id` itself.
    private func outermostRun(of id: RunID) async throws -> RunID {
        var current = id
        while let record = try await store.run(current), let parent = record.parent, parent.relation == .child {
            current = parent.run
        }
        return current
    }

    // MARK: Children

    func runChild(_ call: SubworkflowCall, input: JSON, id: RunID, parent: StepContext) async throws -> RunResult {
        if let existing = try await store.run(id) {
            if existing.status.isTerminal { return RunResult(existing) }
            return try await resume(id)
        }
        guard let workflow = registry.withLock({ $0.byName[call.workflow] }) else {
            throw NodeError(code: "unknown_workflow", message: "node '\(parent.node)' runs workflow '\(call.workflow)', which is not registered with the engine", retryable: false)
        }
        let childInput: JSON = input.objectValue != nil ? input : ["input": input]
        let tags = try await store.run(parent.run)?.tags ?? []
        let record = try await createRecord(
            workflow, input: childInput, id: id, parent: RunParent(run: parent.run, relation: .child, at: parent.step), tags: tags, leased: true
        )
        return try await execute(id, workflow: workflow, created: record)
    }
}

/// A run an engine executes: being started (and whether `cancel` asked for it meanwhile), or
/// running in its task.
private enum ActiveRun {
    case starting(cancelled: Bool)
    case running(Task<RunResult, any Error>)
}
