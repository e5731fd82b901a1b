/// Executes one node once: the part of a step that depends on the node's kind.
struct NodeRunner: Sendable {
    let tools: (any ToolInvoker)?
    let agents: (any AgentInvoker)?
    let limits: RunLimits
    /// Starts or resumes a child run for a `workflow` node.
    let runChild: @Sendable (SubworkflowCall, JSON, RunID, StepContext) async throws -> RunResult

    /// Executes `node` once. `signals` are the signals waiting in the run's mailbox when the
    /// superstep began (read only for supersteps with a `wait` node).
    func execute(_ node: Node, context: StepContext, signals: [SignalRecord]) async throws -> NodeOutput {
        switch node.kind {
        case let .function(body):
            return NodeOutput(output: try await body(context))

        case let .set(assignments):
            let scope = context.scope
            var state = context.state
            var assigned: [String: JSON] = [:]
            var roots: [String] = []
            for assignment in assignments {
                let value = try assignment.source.resolve(in: scope)
                let path = assignment.path.rootKey == "state" && assignment.path.components.count > 1
                    ? try StatePath(String(assignment.path.description.dropFirst("state.".count)))
                    : assignment.path
                state = try path.setting(value, in: state)
                assigned[path.description] = value
                if !roots.contains(path.rootKey) { roots.append(path.rootKey) }
            }
            let writes = roots.map { StateWrite(key: $0, value: state[$0] ?? .null) }
            return NodeOutput(output: .object(assigned), writes: writes)

        case let .tool(call):
            guard let tools else {
                throw NodeError(code: "no_tool_provider", message: "node '\(node.id)' calls tool '\(call.tool)', but no tool provider is configured for this engine", retryable: false)
            }
            var arguments = try call.arguments.resolve(in: context.scope)
            let contract = (tools as? ToolBox)?.contract(call.tool)
            let gate = PolicyGate(context)
            if let gate, try await context.journal.recorded(0) == nil {
                switch try await gate.toolCall(call.tool, contract: contract, arguments: arguments, approvalID: "\(context.run.rawValue)/\(context.step)/approval") {
                case let .call(allowed): arguments = allowed
                case let .refuse(reason): throw PolicyDeniedError(action: "the call of tool '\(call.tool)' by node '\(node.id)'", reason: reason)
                case let .wait(condition): return NodeOutput(output: .null, waiting: condition)
                }
            }
            if let condition = try await context.askToExtendBudget(for: .toolCall) { return NodeOutput(output: .null, waiting: condition) }
            try context.ledger?.admit(.toolCall)
            var result = try await tools.callTool(call.tool, arguments: arguments, context: context)
            for soft in context.ledger?.charge(.toolCall) ?? [] { context.record(.budgetSoftLimit, soft.json) }
            if let gate {
                switch gate.toolResult(call.tool, contract: contract, arguments: arguments, result: result) {
                case let .success(allowed): result = allowed
                case let .failure(refusal): throw PolicyDeniedError(action: "the result of tool '\(call.tool)' in node '\(node.id)'", reason: refusal.reason)
                }
            }
            return NodeOutput(output: result)

        case let .agent(call):
            guard let agents else {
                throw NodeError(code: "no_agent_provider", message: "node '\(node.id)' runs agent '\(call.agent)', but no agent provider is configured for this engine", retryable: false)
            }
            let input = try call.input.resolve(in: context.scope)
            switch try await agents.runAgent(call.agent, input: input, context: context) {
            case let .finished(answer): return NodeOutput(output: answer)
            case let .waiting(condition): return NodeOutput(output: .null, waiting: condition)
            }

        case let .branch(branch):
            let scope = context.scope
            for branchCase in branch.cases where try branchCase.condition.holds(in: scope) {
                return NodeOutput(output: ["route": .array(branchCase.targets.map(JSON.string))], writes: [], routes: branchCase.targets)
            }
            return NodeOutput(output: ["route": .array(branch.otherwise.map(JSON.string))], writes: [], routes: branch.otherwise)

        case let .map(spec):
            guard let value = context.scope.lookup(spec.over) else {
                throw NodeError(code: "map_over_missing", message: "map node '\(node.id)' fans out over '\(spec.over)', which is not set", retryable: false)
            }
            guard case let .array(elements) = value else {
                throw NodeError(code: "map_over_not_a_list", message: "map node '\(node.id)' fans out over '\(spec.over)', which is \(value.typeName) \(JSON.excerpt(value)), not a list", retryable: false)
            }
            guard elements.count <= limits.maxMapItems else {
                throw NodeError(code: "map_too_many_items", message: "map node '\(node.id)' would fan out to \(elements.count) elements; the run's limit is \(limits.maxMapItems)", retryable: false)
            }
            return NodeOutput(output: value, writes: [])

        case let .wait(spec):
            return try await wait(spec, context: context, signals: signals)

        case let .approval(spec):
            return try await approve(spec, node: node, context: context)

        case let .workflow(call):
            let input = try call.input?.resolve(in: context.scope) ?? context.item ?? context.state
            let child = RunID("\(context.run.rawValue).\(context.step).\(context.attempt)")
            let result = try await runChild(call, input, child, context)
            switch result.status {
            case .succeeded:
                return NodeOutput(output: result.output ?? .null)
            case .waiting, .pending, .running:
                return NodeOutput(output: .null, waiting: WaitCondition(child: child))
            case .failed, .cancelled, .limitExceeded:
                throw NodeError(code: "child_run_\(result.status.rawValue)", message: "child run '\(child)' of workflow '\(call.workflow)' ended \(result.status): \(result.reason ?? "no reason given")", retryable: result.status == .failed)
            }
        }
    }

    /// An `approval` node: its request is kept on the first execution; the step parks until the
    /// request is decided, and then outputs the decision.
    private func approve(_ spec: ApprovalSpec, node: Node, context: StepContext) async throws -> NodeOutput {
        let id = "\(context.run.rawValue)/\(context.step)/approval"
        let outcome = try await ApprovalGate(store: context.journal.store).outcome(of: id) {
            let scope = context.scope
            let now = EventDraft.now()
            return ApprovalRequest(
                id: id, run: context.run, step: context.step, node: node.id, action: spec.action.render(scope),
                reason: spec.reason?.render(scope) ?? "node '\(node.id)' needs the approval of a '\(spec.role)'", risk: spec.risk,
                arguments: .object(try spec.arguments.mapValues { try $0.resolve(in: scope) }), role: spec.role, requestedAt: now,
                deadline: spec.timeout.map { now + Int64($0.seconds * 1000) }, onTimeout: spec.onTimeout
            )
        }
        switch outcome {
        case let .decided(record): return NodeOutput(output: record.nodeOutput)
        case let .waiting(condition): return NodeOutput(output: .null, waiting: condition)
        }
    }

    private func wait(_ spec: WaitSpec, context: StepContext, signals: [SignalRecord]) async throws -> NodeOutput {
        var deadline: Int64?
        if let timeout = spec.timeout {
            // The deadline is journaled, so a re-executed wait keeps the first one.
            deadline = try await context.effect("deadline") { _ in EventDraft.now() + Int64(timeout.seconds * 1000) }
        }
        if let name = spec.signal, let signal = signals.first(where: { $0.name == name }) {
            return NodeOutput(output: signal.payload, consumedSignals: [signal.id])
        }
        if let deadline, deadline <= EventDraft.now() {
            return NodeOutput(output: .null)
        }
        return NodeOutput(output: .null, waiting: WaitCondition(signal: spec.signal, deadline: deadline))
    }
}
