/// One agent's conversation: model call, tool calls, repeat, until a final answer or a limit.
///
/// Every model call is a journaled effect of the step, numbered in order; every tool call is
/// journaled in a branch of the step named after its turn and position (`t3.1`), so that a step
/// re-executed after a crash replays the whole conversation from the journal, calls running side
/// by side included, and calls nothing that had answered.
struct AgentConversation: Sendable {
    let runtime: AgentRuntime
    private(set) var agent: Agent
    let scope: JSON
    let context: StepContext
    private(set) var budget: AgentBudget
    var transcript: AgentTranscript
    private var offer: AgentToolOffer
    /// ``Agent/promptVersion``, hashed once per agent of the conversation.
    private var promptVersion: String
    /// The price of each model of the agent's choice, looked up once.
    private var prices: [ModelPrice?]
    private var outputSchema: JSONSchema?
    /// The position in the agent's router that calls start from.
    private var level = 0
    private var repairs = 0
    /// Why the answers of the step's earlier attempts failed its success criterion, to tell the
    /// model after each of those answers replays (unless a router asks a stronger model afresh).
    private let criterionFailures: [String]
    private var criterionFailuresTold = 0
    /// How often each tool was called with each arguments (by their canonical text).
    private var callCounts: [String: Int] = [:]
    /// A soft limit moved the agent to its cheapest model: it escalates no further.
    private var downgraded = false
    /// A soft limit asked for a short transcript: results of earlier turns are left out from now on.
    private var compacting = false
    /// A soft limit asked for a summary: the conversation is summarised before the next model call.
    private var summarizing = false

    init(runtime: AgentRuntime, agent: Agent, input: JSON, scope: JSON, context: StepContext, budget: AgentBudget) throws(AgentError) {
        self.runtime = runtime
        self.agent = agent
        self.scope = scope
        self.context = context
        self.budget = budget
        self.offer = try runtime.offer(for: agent)
        self.promptVersion = agent.promptVersion
        self.prices = agent.model.references.map(runtime.prices.price(for:))
        self.outputSchema = try Self.compile(agent)
        let prompt: String
        if let template = agent.prompt {
            prompt = template.render(scope)
        } else {
            prompt = input.stringValue ?? input.canonicalString
        }
        self.transcript = AgentTranscript([.system(Self.systemPrompt(agent, scope: scope)), .user(prompt)])
        self.level = Self.startLevel(agent, attempt: context.attempt)
        var escalates = false
        if case let .router(router) = agent.model { escalates = router.escalation.contains(.criterionFailed) }
        self.criterionFailures = escalates ? [] : context.previousFailures.filter { $0.code == NodeError.criterionFailed("").code }.map(\.message)
    }

    /// Where in its router an agent starts on attempt `attempt` of its step: one model up per
    /// attempt when the router escalates on a failed success criterion, else the first.
    static func startLevel(_ agent: Agent, attempt: Int) -> Int {
        guard case let .router(router) = agent.model, router.escalation.contains(.criterionFailed) else { return 0 }
        return max(0, min(attempt - 1, router.models.count - 1))
    }

    mutating func run() async throws -> StepOutcome {
        context.record(.agentStarted, [
            "agent": .string(agent.name), "model": agent.model.json, "prompt_version": .string(promptVersion),
            "tools": offer.namesJSON, "limits": budget.limits.json,
        ])
        if level > 0 {
            let references = agent.model.references
            context.record(.modelRouted, [
                "agent": .string(agent.name), "from": .string(references[0].description), "to": .string(references[level].description),
                "reason": "criterion_failed", "detail": .string("attempt \(context.attempt) of the step starts \(level) model(s) up its router"),
            ])
        }
        if case let .waiting(condition) = try await guardPrompt() { return .waiting(condition) }
        while true {
            if let condition = try await context.askToExtendBudget(for: nextCallEstimate) { return .waiting(condition) }
            if summarizing { try await summarize() }
            var response = try await callModel()
            switch try await guarded(.text(response.text), stage: .output, id: "output\(budget.turns)") {
            case let .passed(content): response.text = content.text
            case let .waiting(condition): return .waiting(condition)
            }
            transcript.append(.assistant(response.text, toolCalls: response.toolCalls, name: agent.name))
            if !response.toolCalls.isEmpty {
                if let condition = try await runToolCalls(response.toolCalls) { return .waiting(condition) }
            } else if var answer = try checkAnswer(response) {
                switch try await guarded(.json(answer), stage: .finalAnswer, id: "answer") {
                case let .passed(content): answer = content.json
                case let .waiting(condition): return .waiting(condition)
                }
                context.record(.agentFinished, [
                    "agent": .string(agent.name), "prompt_version": .string(promptVersion), "output": answer, "spent": budget.json,
                ])
                return .finished(answer)
            }
        }
    }

    // MARK: - Model calls

    private mutating func callModel() async throws -> ModelResponse {
        let references = agent.model.references
        let request = ModelRequest(
            model: references[level].model, messages: transcript.messages, tools: offer.tools, responseFormat: responseFormat,
            temperature: agent.temperature, maxTokens: agent.maxOutputTokens, seed: agent.seed, agent: agent.name
        )
        if let gate = PolicyGate(context, agent: agent.name, role: agent.role),
            let reason = gate.refusal(.modelCall(model: references[level].description), arguments: request.parametersJSON, turn: budget.turns + 1)
        {
            throw PolicyDeniedError(action: "a call of the model '\(references[level])' by agent '\(agent.name)'", reason: reason)
        }
        let estimate = nextCallEstimate
        if let refusal = budget.refusal(estimate: estimate) {
            throw limitExceeded(refusal)
        }
        try admit(estimate)
        let extra: [String: JSON] = [
            "agent": .string(agent.name), "prompt_version": .string(promptVersion), "turn": .int(budget.turns + 1),
            "messages": .array(transcript.json), "tools": offer.namesJSON,
            "parameters": request.parametersJSON,
        ]
        let caller = ModelCaller(runtime: runtime, agent: agent, prices: prices, context: context)
        let start = level
        let (record, replayed) = try await context.effect("model", recordedAs: .modelCalled, extra: extra) { _ in
            try await caller.call(request, from: start)
        }
        budget.turns += 1
        let response = try ModelResponse(json: record)
        if replayed {
            context.record(.modelReplayed, ["agent": .string(agent.name), "turn": .int(budget.turns), "reference": record["reference"] ?? .null])
        }
        if record["cache"]?.stringValue != "hit" {
            let cost = record["cost_usd"]?.doubleValue
            budget.charge(response.usage, cost: cost)
            actOnSoftLimits(budget.newSoftLimits() + (context.ledger?.charge(.modelCall(response.usage, cost: cost)) ?? []))
            // A call can cost more than its estimate: past the run's or the step's limit, stop here.
            try admit(.zero)
        }
        if let overrun = budget.overrun { throw limitExceeded(overrun) }
        return response
    }

    /// Replaces the conversation after the prompt with a summary written by the agent's cheapest
    /// model: a model call of its own, journaled (`purpose: summary`) and charged to the budgets
    /// like every other, so a re-executed step replays it and its transcript is the same again.
    private mutating func summarize() async throws {
        summarizing = false
        guard transcript.messages.count > 2 else { return }
        let request = ModelRequest(
            model: agent.model.references[0].model, messages: transcript.summaryRequest, maxTokens: agent.maxOutputTokens, seed: agent.seed,
            agent: agent.name + AgentSummary.agentSuffix
        )
        let words = request.messages.reduce(0) { $0 + $1.content.utf8.count } / 4 + 1
        let estimate = Spending(
            inputTokens: words, outputTokens: agent.maxOutputTokens ?? 0,
            costUSD: prices[0]?.cost(of: TokenUsage(input: words + (agent.maxOutputTokens ?? 0))) ?? 0, modelCalls: 1
        )
        if let refusal = budget.refusal(estimate: estimate) { throw limitExceeded(refusal) }
        try admit(estimate)
        let caller = ModelCaller(runtime: runtime, agent: agent, prices: prices, context: context)
        let extra: [String: JSON] = [
            "agent": .string(agent.name), "purpose": "summary", "turn": .int(budget.turns), "messages": .array(request.messages.map(\.json)),
        ]
        let (record, _) = try await context.effect("model", recordedAs: .modelCalled, extra: extra) { _ in try await caller.call(request, from: 0) }
        let response = try ModelResponse(json: record)
        if record["cache"]?.stringValue != "hit" {
            let cost = record["cost_usd"]?.doubleValue
            budget.charge(response.usage, cost: cost)
            _ = budget.newSoftLimits()
            _ = context.ledger?.charge(.modelCall(response.usage, cost: cost))
        }
        let before = transcript.estimatedTokens
        transcript.summarize(response.text, turns: budget.turns)
        context.record(.agentSummarized, [
            "agent": .string(agent.name), "turns": .int(budget.turns), "tokens_before": .int(before), "tokens_after": .int(transcript.estimatedTokens),
        ])
    }

    /// What the next model call may spend, by the transcript's size and the agent's output limit.
    private var nextCallEstimate: Spending {
        let estimatedTokens = transcript.estimatedTokens + (agent.maxOutputTokens ?? 0)
        return Spending(
            inputTokens: transcript.estimatedTokens, outputTokens: agent.maxOutputTokens ?? 0,
            costUSD: prices[level]?.cost(of: TokenUsage(input: estimatedTokens)) ?? 0, modelCalls: 1
        )
    }

    private var responseFormat: ResponseFormat? {
        guard let schema = agent.outputSchema else { return nil }
        return .jsonSchema(name: AgentToolOffer.providerName(agent.name + "_answer"), schema: schema, strict: false)
    }

    // MARK: - Tool calls

    /// Runs one turn's tool calls; returns the wait one of them parked on (its siblings' results
    /// are journaled and replay when the step runs again), or `nil` when every call answered.
    private mutating func runToolCalls(_ calls: [ModelToolCall]) async throws -> WaitCondition? {
        let turn = budget.turns
        var answers = [ToolAnswer](repeating: .text(""), count: calls.count)
        var branches: [StepContext?] = Array(repeating: nil, count: calls.count)
        var handoff: (agent: String, reason: String)?
        var group: [(index: Int, call: ModelToolCall, tool: String)] = []

        for (index, call) in calls.enumerated() {
            guard let target = offer.target(call.name) else {
                context.record(.toolRefused, [
                    "agent": .string(agent.name), "tool": .string(call.name), "reason": "not among the agent's tools",
                    "allowed": offer.namesJSON,
                ])
                answers[index] = .text(Self.errorText("tool_not_allowed", "agent '\(agent.name)' may not use '\(call.name)'; it may use: \(offer.tools.map(\.name).joined(separator: ", "))"))
                continue
            }
            if case let .handoff(name) = target {
                if handoff != nil {
                    answers[index] = .text(Self.errorText("one_handoff_per_turn", "the conversation was already handed to '\(handoff?.agent ?? "")'"))
                } else if let gate = PolicyGate(context, agent: agent.name, role: agent.role), let reason = gate.refusal(.handoff(to: name), turn: turn) {
                    answers[index] = .text(Self.errorText("policy_denied", "the hand-off to '\(name)' was refused: \(reason)"))
                } else {
                    handoff = (name, (try? call.parsedArguments())?["reason"]?.stringValue ?? "")
                    answers[index] = .text(JSON.object(["transferred_to": .string(name)]).canonicalString)
                }
                continue
            }
            if let refusal = budget.toolCallRefusal { throw limitExceeded(refusal) }
            if let loop = try loopCheck(call) {
                answers[index] = .text(loop)
                continue
            }
            try admit(.toolCall)
            budget.toolCalls += 1
            actOnSoftLimits(context.ledger?.charge(.toolCall) ?? [])
            let branch = context.branch("t\(turn).\(index)")
            branches[index] = branch
            switch target {
            case let .tool(name) where runtime.tools?.contract(name).map({ $0.effect == .pure || $0.effect == .readOnly }) ?? false:
                group.append((index, call, name))
            case let .tool(name):
                try await runGroup(&group, into: &answers, branches: branches)
                answers[index] = await callTool(name, call: call, branch: branch)
            case let .agent(name):
                try await runGroup(&group, into: &answers, branches: branches)
                answers[index] = try await callAgent(name, call: call, branch: branch)
            case .handoff:
                continue
            }
        }
        try await runGroup(&group, into: &answers, branches: branches)
        for branch in branches.compactMap({ $0 }) { context.merge(branch) }
        var texts: [String] = []
        for answer in answers {
            switch answer {
            case let .text(text): texts.append(text)
            case let .waiting(condition): return condition
            }
        }
        for (index, call) in calls.enumerated() {
            transcript.append(.tool(texts[index], id: call.id, name: call.name))
        }
        if compacting { transcript.compact() }
        if let handoff { try handOff(to: handoff.agent, reason: handoff.reason) }
        return nil
    }

    /// Runs the calls of `group` (tools safe to run side by side) concurrently, results in place.
    private func runGroup(_ group: inout [(index: Int, call: ModelToolCall, tool: String)], into answers: inout [ToolAnswer], branches: [StepContext?]) async throws {
        defer { group = [] }
        if group.count == 1, let only = group.first, let branch = branches[only.index] {
            answers[only.index] = await callTool(only.tool, call: only.call, branch: branch)
            return
        }
        let pending = group.compactMap { entry in branches[entry.index].map { (entry.index, entry.call, entry.tool, $0) } }
        let results = await withTaskGroup(of: (Int, ToolAnswer).self) { tasks in
            for (index, call, tool, branch) in pending {
                tasks.addTask { (index, await self.callTool(tool, call: call, branch: branch)) }
            }
            var results: [(Int, ToolAnswer)] = []
            for await result in tasks { results.append(result) }
            return results
        }
        for (index, answer) in results { answers[index] = answer }
        try Task.checkCancellation()
    }

    /// One tool call, past the policies before and after it and the guardrails on its result;
    /// failures and refusals become the structured error the model sees.
    private func callTool(_ name: String, call: ModelToolCall, branch: StepContext) async -> ToolAnswer {
        guard let tools = runtime.tools else { return .text(Self.errorText("no_tool_box", "no tools are configured")) }
        var arguments: JSON
        do {
            arguments = try call.parsedArguments()
        } catch {
            branch.record(.toolRejected, ["tool": .string(name), "error": "invalid_arguments", "message": .string("the arguments are not JSON: \(error)")])
            return .text(Self.errorText("invalid_arguments", "the arguments of '\(call.name)' are not JSON (\(error)); send a JSON object that fits the tool's schema"))
        }
        let contract = tools.contract(name)
        let gate = PolicyGate(branch, agent: agent.name, role: agent.role)
        // A call whose result is journaled already happened: it was decided then, and replays.
        if let gate, (try? await branch.journal.recorded(0)) == nil {
            do {
                switch try await gate.toolCall(name, contract: contract, arguments: arguments, approvalID: branch.run.rawValue + "/" + branch.step + "/approval") {
                case let .call(allowed): arguments = allowed
                case let .refuse(reason): return .text(Self.errorText("policy_denied", "the call of '\(name)' was refused: \(reason)"))
                case let .wait(condition): return .waiting(condition)
                }
            } catch {
                return .text(Self.errorText("policy_failed", "the call of '\(name)' could not be checked: \(error)"))
            }
        }
        let answer = await invoke(name, arguments: arguments, tools: tools, branch: branch)
        guard case let .success(result) = answer else { return .text(answer.text) }
        var passed = result
        if let gate {
            switch gate.toolResult(name, contract: contract, arguments: arguments, result: result) {
            case let .success(allowed): passed = allowed
            case let .failure(refusal): return .text(Self.errorText("policy_denied", "the result of '\(name)' was withheld: \(refusal.reason)"))
            }
        }
        do {
            switch try await checkContent(.json(passed), stage: .toolResult, id: "t/" + branch.step, context: branch) {
            case let .passed(content): return .text(Self.text(content.json))
            case let .waiting(condition): return .waiting(condition)
            }
        } catch {
            return .text(Self.errorText("guardrail_denied", "the result of '\(name)' was withheld: \(error)"))
        }
    }

    /// The call itself, with the response cache for pure tools.
    private func invoke(_ name: String, arguments: JSON, tools: ToolBox, branch: StepContext) async -> ToolCallAnswer {
        let cache = agent.cache?.tools == true && tools.contract(name)?.effect == .pure ? runtime.cache : nil
        let cacheKey = cache == nil ? "" : CacheKey.toolKey(name, arguments)
        if let cache, let hit = try? await cache.cached(cacheKey) {
            branch.record(.cacheHit, ["kind": "tool", "tool": .string(name), "key": .string(cacheKey)])
            return .success(hit)
        }
        do {
            let result = try await tools.call(name, arguments: arguments, step: branch)
            if let cache, let ttl = agent.cache?.ttl {
                branch.record(.cacheMiss, ["kind": "tool", "tool": .string(name), "key": .string(cacheKey)])
                try? await cache.store(result, under: cacheKey, ttl: ttl)
            }
            return .success(result)
        } catch {
            return .failure(error.json.canonicalString)
        }
    }

    /// Asks agent `name` (called as a tool): a conversation of its own, bounded by what remains of
    /// this one's budget, whose spending is charged here. Its failure is the tool's answer.
    private mutating func callAgent(_ name: String, call: ModelToolCall, branch: StepContext) async throws -> ToolAnswer {
        guard let callee = runtime.agent(named: name) else {
            return .text(Self.errorText("unknown_agent", "agent '\(name)' is not registered"))
        }
        let arguments: JSON
        do {
            arguments = try call.parsedArguments()
        } catch {
            return .text(Self.errorText("invalid_arguments", "the arguments of '\(call.name)' are not JSON (\(error))"))
        }
        let schema = try Self.compileInputSchema(callee)
        let validation = schema.validate(arguments)
        guard validation.isValid else {
            let errors = validation.errors.map { "\($0.instancePath.isEmpty ? "/" : $0.instancePath): \($0.message)" }
            return .text(Self.errorText("invalid_arguments", "the arguments of '\(call.name)' do not fit its schema: \(errors.joined(separator: "; "))"))
        }
        let nestedScope = scope.setting("input", arguments)
        var nested = try AgentConversation(
            runtime: runtime, agent: callee, input: arguments, scope: nestedScope, context: branch, budget: budget.nested(callee.limits)
        )
        defer { budget.charge(nested.budget) }
        do {
            switch try await nested.run() {
            case let .finished(answer): return .text(Self.text(answer))
            case let .waiting(condition): return .waiting(condition)
            }
        } catch let error as AgentError {
            return .text(Self.errorText(error.code, error.description))
        }
    }

    private mutating func handOff(to name: String, reason: String) throws(AgentError) {
        guard let target = runtime.agent(named: name) else {
            throw AgentError.invalidDefinition(agent: agent.name, reason: "it hands off to agent '\(name)', which is not registered")
        }
        context.record(.agentHandoff, ["from": .string(agent.name), "to": .string(name), "reason": .string(reason), "turn": .int(budget.turns)])
        offer = try runtime.offer(for: target)
        promptVersion = target.promptVersion
        prices = target.model.references.map(runtime.prices.price(for:))
        outputSchema = try Self.compile(target)
        budget = budget.handedOff(to: target.limits)
        transcript.replaceFirst(with: .system(Self.systemPrompt(target, scope: scope)))
        agent = target
        level = 0
        repairs = 0
    }

    // MARK: - The final answer

    /// The final answer, or `nil` when the conversation goes on (a repair, an escalation).
    private mutating func checkAnswer(_ response: ModelResponse) throws(AgentError) -> JSON? {
        let answer: JSON
        if let outputSchema {
            let errors: [String]
            if let parsed = try? JSON(parsing: Self.jsonText(response.text)) {
                let validation = outputSchema.validate(parsed)
                errors = validation.errors.map { "\($0.instancePath.isEmpty ? "/" : $0.instancePath): \($0.message)" }
                answer = parsed
            } else {
                errors = ["the answer is not JSON"]
                answer = .string(response.text)
            }
            if !errors.isEmpty {
                repairs += 1
                context.record(.agentOutputInvalid, [
                    "agent": .string(agent.name), "errors": .array(errors.map(JSON.string)), "repair": .int(repairs),
                    "answer": .string(String(response.text.prefix(2000))),
                ])
                guard repairs <= agent.repairAttempts else { throw AgentError.invalidOutput(agent: agent.name, errors: errors) }
                escalate(.invalidOutput, detail: errors.first ?? "")
                transcript.append(.user(
                    "Your answer does not fit the required JSON Schema:\n" + errors.map { "- " + $0 }.joined(separator: "\n")
                        + "\nAnswer again with only a JSON value that fits the schema."
                ))
                return nil
            }
        } else {
            answer = .string(response.text)
        }
        if case let .router(router) = agent.model, router.escalation.contains(.classifier), let classifier = router.classifier,
            level + 1 < router.models.count, let reason = classifier(answer, scope)
        {
            escalate(.classifier, detail: reason)
            transcript.removeLast()
            return nil
        }
        if criterionFailuresTold < criterionFailures.count {
            // The answer the previous attempt gave (replayed from the journal) failed the step's
            // criterion: say why, and ask again.
            let reason = criterionFailures[criterionFailuresTold]
            criterionFailuresTold += 1
            context.record(.agentCriterionFailed, ["agent": .string(agent.name), "reason": .string(reason), "attempt": .int(context.attempt)])
            transcript.append(.user("Your answer did not pass the check that follows this step: \(reason). Answer again."))
            return nil
        }
        return answer
    }

    /// Moves one model up the router, if it has one that `reason` applies to.
    private mutating func escalate(_ reason: ModelRouter.Escalation, detail: String) {
        guard !downgraded, case let .router(router) = agent.model, router.escalation.contains(reason), level + 1 < router.models.count else { return }
        context.record(.modelRouted, [
            "agent": .string(agent.name), "from": .string(router.models[level].description), "to": .string(router.models[level + 1].description),
            "reason": .string(reason.rawValue), "detail": .string(detail),
        ])
        level += 1
    }

    // MARK: - Budgets and loops

    /// Refuses a call that would pass the run's or the step's budget (recorded; the run stops).
    private func admit(_ estimate: Spending) throws(BudgetError) {
        do {
            try context.ledger?.admit(estimate)
        } catch {
            context.record(.budgetExceeded, [
                "agent": .string(agent.name), "scope": .string(error.scope), "limit": .string(error.limit), "detail": .string(error.detail),
                "spent": budget.json,
            ])
            throw error
        }
    }

    /// Records each soft limit reached and does what it says.
    private mutating func actOnSoftLimits(_ reached: [SoftLimitReached]) {
        for soft in reached {
            var data = soft.json.objectValue ?? [:]
            data["agent"] = .string(agent.name)
            switch soft.action {
            case .record:
                break
            case .downgrade:
                if case .router = agent.model, level > 0 {
                    data["to"] = .string(agent.model.references[0].description)
                    level = 0
                } else {
                    data["note"] = "the agent already uses its cheapest model"
                }
                downgraded = true
            case .compact:
                data["characters_removed"] = .int(transcript.compact())
                compacting = true
            case .extend:
                data["note"] = "a human is asked to extend the budget before the next call"
            case .summarize:
                summarizing = true
            }
            context.record(.budgetSoftLimit, .object(data))
        }
    }

    /// `nil` for a call to make; for the same tool with the same arguments once too often, what
    /// the model is told instead (``LoopAction/escalate``), or the run stops (``LoopAction/stop``).
    private mutating func loopCheck(_ call: ModelToolCall) throws -> String? {
        guard let limit = context.loops.sameToolCalls else { return nil }
        let arguments = (try? call.parsedArguments())?.canonicalString ?? call.arguments
        let key = call.name + "\u{0}" + arguments
        let count = (callCounts[key] ?? 0) + 1
        callCounts[key] = count
        guard count >= limit else { return nil }
        let detail = "agent '\(agent.name)' called '\(call.name)' with the same arguments \(count) times"
        let canEscalate: Bool
        if case let .router(router) = agent.model { canEscalate = level + 1 < router.models.count && !downgraded } else { canEscalate = false }
        context.record(.loopDetected, [
            "agent": .string(agent.name), "tool": .string(call.name), "arguments": .string(arguments), "count": .int(count),
            "action": .string(context.loops.action == .escalate && canEscalate ? "escalate" : "stop"),
        ])
        guard context.loops.action == .escalate, canEscalate, case let .router(router) = agent.model else {
            throw LoopError(detail: detail)
        }
        context.record(.modelRouted, [
            "agent": .string(agent.name), "from": .string(router.models[level].description), "to": .string(router.models[level + 1].description),
            "reason": "loop", "detail": .string(detail),
        ])
        level += 1
        return Self.errorText("repeated_call", "you called '\(call.name)' with these arguments \(count) times and got the same answer; the call was not made again. Use what you have, or change your approach")
    }

    // MARK: - Helpers

    private func limitExceeded(_ refusal: (limit: String, detail: String)) -> AgentError {
        context.record(.agentLimitExceeded, [
            "agent": .string(agent.name), "limit": .string(refusal.limit), "detail": .string(refusal.detail), "spent": budget.json,
        ])
        return AgentError.limitExceeded(agent: agent.name, limit: refusal.limit, detail: refusal.detail)
    }

    static func systemPrompt(_ agent: Agent, scope: JSON) -> String {
        let instructions = agent.instructions.render(scope)
        return agent.role.isEmpty ? instructions : "You are \(agent.name): \(agent.role).\n\n\(instructions)"
    }

    private static func compile(_ agent: Agent) throws(AgentError) -> JSONSchema? {
        guard let schema = agent.outputSchema else { return nil }
        do { return try JSONSchema(schema) } catch {
            throw AgentError.invalidDefinition(agent: agent.name, reason: "its output schema is not a valid JSON Schema: \(error)")
        }
    }

    private static func compileInputSchema(_ agent: Agent) throws(AgentError) -> JSONSchema {
        do { return try JSONSchema(agent.inputSchema ?? Agent.defaultInputSchema) } catch {
            throw AgentError.invalidDefinition(agent: agent.name, reason: "its input schema is not a valid JSON Schema: \(error)")
        }
    }

    /// The JSON inside an answer, without the Markdown code fence some models wrap it in.
    static func jsonText(_ text: String) -> String {
        var body = text.trimmingWhitespace
        guard body.hasPrefix("```") else { return String(body) }
        body = body.dropFirst(3)
        if let newline = body.firstIndex(of: "\n") { body = body[body.index(after: newline)...] }
        if body.hasSuffix("```") { body = body.dropLast(3) }
        return String(body)
    }

    /// A tool's result as the text of a tool message: a string as it is, anything else as JSON.
    static func text(_ result: JSON) -> String { result.stringValue ?? result.canonicalString }

    static func errorText(_ code: String, _ message: String) -> String {
        JSON.object(["error": .string(code), "message": .string(message)]).canonicalString
    }
}

/// What one tool call of a turn came to: the text the model reads, or a wait (an approval).
enum ToolAnswer: Sendable {
    case text(String)
    case waiting(WaitCondition)
}

/// What calling a tool returned: its result, or the structured error the model reads.
enum ToolCallAnswer: Sendable {
    case success(JSON)
    case failure(String)

    var text: String {
        switch self {
        case let .success(result): return AgentConversation.text(result)
        case let .failure(error): return error
        }
    }
}
