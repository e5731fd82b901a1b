import BatonCore
import BatonTesting
import Synchronization
import Testing

/// The agent loop on the scripted model: tool calls, the tool selection guard, argument repair,
/// structured output, limits, journaling and replay.
@Suite struct AgentLoopTests {
    typealias F = AgentFixtures

    func runtime(_ model: any ModelProvider, tools: ToolBox? = nil, cache: (any ResponseCache)? = nil, agents: [Agent]) throws -> AgentRuntime {
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": model]), tools: tools, cache: cache)
        for agent in agents { try runtime.register(agent) }
        return runtime
    }

    @Test func anAgentCallsItsToolsAndAnswers() async throws {
        let calls = CallLog()
        let tools = try F.toolbox(calls: calls)
        let model = CountingModel(ScriptedModel(turns: F.threeToolTurns))
        let agents = try runtime(model, tools: tools, agents: [try F.agent(tools: ["add", "lookup_city", "scale"])])
        let store = InMemoryStore()
        let engine = Engine(store: store, tools: tools, agents: agents)
        let result = try await engine.run(try F.workflow("assistant"))
        #expect(result.status == .succeeded)
        #expect(result.output?["answer"] == "Done: 5, Paris, [2, 5, 8].")
        #expect(calls.all == ["add", "lookup_city", "scale"])
        #expect(model.count == 4)

        let events = try await F.events(store, result.id)
        let modelCalls = events.filter { $0.type == .modelCalled }
        #expect(modelCalls.count == 4)
        // The last request carried the whole conversation: system, user, and three call/result pairs.
        let last = try #require(modelCalls.last?.data)
        #expect(last["messages"]?.arrayValue?.count == 8)
        #expect(last["messages"]?.arrayValue?[0]["role"] == "system")
        #expect(last["messages"]?.arrayValue?[7]["content"] == "{\"values\":[2,5,8]}")
        #expect(last["prompt_version"]?.stringValue?.count == 16)
        #expect(last["usage"]?["input"]?.intValue ?? 0 > 0)
        #expect(last["cost_usd"] == 0)
        #expect(last["reference"] == "scripted:test")
        #expect(last["idempotency_key"] != nil)
        let tool = try #require(events.first { $0.type == .toolSucceeded && $0.data["tool"] == "lookup_city" })
        #expect(tool.data["result"] == "Paris (FR): population 2.1M")
        #expect(events.contains { $0.type == .agentStarted })
        let finished = try #require(events.first { $0.type == .agentFinished })
        #expect(finished.data["spent"]?["turns"] == 4)
        #expect(finished.data["spent"]?["tool_calls"] == 3)
    }

    @Test func aToolRegisteredLaterIsOfferedFromTheNextConversation() async throws {
        let tools = try ToolBox()
        let model = ScriptedModel(turns: [.call(("add", ["a": 1, "b": 2])), .answer("3")])
        let agents = try runtime(model, tools: tools, agents: [try F.agent(tools: ["add"])])
        let engine = Engine(store: InMemoryStore(), tools: tools, agents: agents)
        let before = try await engine.run(try F.workflow("assistant"))
        #expect(before.reason?.contains("tool 'add', which is not registered") == true)
        try tools.register(try TypedTool("add", description: "Adds.", effect: .pure) { (input: F.AddInput, _) in F.AddOutput(sum: input.a + input.b) })
        let after = try await engine.run(try F.workflow("assistant"))
        #expect(after.status == .succeeded, "\(after.reason ?? "")")
        #expect(after.output?["answer"] == "3")
    }

    @Test func aToolTheAgentMayNotUseIsRefusedAndTheRefusalGoesBackToTheModel() async throws {
        let calls = CallLog()
        let tools = try F.toolbox(calls: calls)
        let model = ScriptedModel(turns: [.call(("send_email", ["to": "boss@example.com"])), .answer("I may not send email.")])
        let agents = try runtime(model, tools: tools, agents: [try F.agent(tools: ["add"])])
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: tools, agents: agents).run(try F.workflow("assistant"))
        #expect(result.status == .succeeded)
        #expect(calls.count("send_email") == 0)
        let events = try await F.events(store, result.id)
        let refused = try #require(events.first { $0.type == .toolRefused })
        #expect(refused.data["tool"] == "send_email")
        let second = try #require(events.filter { $0.type == .modelCalled }.last)
        let toolMessage = try #require(second.data["messages"]?.arrayValue?.last)
        #expect(toolMessage["role"] == "tool")
        #expect(toolMessage["content"]?.stringValue?.contains("tool_not_allowed") == true)
    }

    @Test func invalidArgumentsGoBackAsAStructuredErrorTheModelCanRepair() async throws {
        let calls = CallLog()
        let tools = try F.toolbox(calls: calls)
        let model = ScriptedModel(turns: [
            .call(("add", ["a": "two", "b": 3])),
            ScriptedModel.Turn(toolCalls: [("add", ["a": 2, "b": 3])]),
            .answer("5"),
        ])
        let agents = try runtime(model, tools: tools, agents: [try F.agent(tools: ["add"])])
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: tools, agents: agents).run(try F.workflow("assistant"))
        #expect(result.status == .succeeded)
        #expect(calls.count("add") == 1)
        let events = try await F.events(store, result.id)
        let second = try #require(events.filter { $0.type == .modelCalled }.dropFirst().first)
        let feedback = try #require(second.data["messages"]?.arrayValue?.last?["content"]?.stringValue)
        let error = try JSON(parsing: feedback)
        #expect(error["error"] == "invalid_arguments")
        #expect(error["errors"]?.arrayValue?[0]["path"] == "/a")
    }

    @Test func argumentsThatAreNotJSONAreAnErrorForTheModelNotAFailedStep() async throws {
        let tools = try F.toolbox()
        let broken = ModelResponse(text: "", toolCalls: [ModelToolCall(id: "c1", name: "add", arguments: "{\"a\": 2,")])
        let model = SequenceModel([broken, ModelResponse(text: "sorry")])
        let agents = try runtime(model, tools: tools, agents: [try F.agent(tools: ["add"])])
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: tools, agents: agents).run(try F.workflow("assistant"))
        #expect(result.status == .succeeded)
        let events = try await F.events(store, result.id)
        let second = try #require(events.filter { $0.type == .modelCalled }.last)
        #expect(second.data["messages"]?.arrayValue?.last?["content"]?.stringValue?.contains("are not JSON") == true)
    }

    @Test func aStructuredAnswerIsValidatedAndRepaired() async throws {
        let schema: JSON = [
            "type": "object", "properties": ["category": ["enum": ["refund", "bug"]], "priority": ["type": "integer"]],
            "required": ["category", "priority"],
        ]
        let model = ScriptedModel(turns: [
            .answer("Sure! It is a refund."),
            .answer(json: ["category": "refund"]),
            .answer("```json\n{\"category\": \"refund\", \"priority\": 2}\n```"),
        ])
        let agents = try runtime(model, agents: [try F.agent(output: schema)])
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: agents).run(try F.workflow("assistant"))
        #expect(result.status == .succeeded)
        #expect(result.output?["answer"] == ["category": "refund", "priority": 2])
        let events = try await F.events(store, result.id)
        let invalid = events.filter { $0.type == .agentOutputInvalid }
        #expect(invalid.count == 2)
        #expect(invalid[0].data["errors"] == ["the answer is not JSON"])
        #expect(invalid[1].data["errors"]?.arrayValue?[0].stringValue?.contains("priority") == true)
        let request = try #require(events.first { $0.type == .modelCalled }?.data["parameters"])
        #expect(request["response_format"]?["type"] == "json_schema")
    }

    @Test func anAnswerThatStaysInvalidFailsTheStepAfterTheRepairs() async throws {
        let model = ScriptedModel(turns: Array(repeating: .answer("no JSON here"), count: 5))
        let agents = try runtime(model, agents: [try F.agent(output: ["type": "object"])])
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: agents).run(try F.workflow("assistant"))
        #expect(result.status == .failed)
        #expect(result.reason?.contains("agent_invalid_output") == true || result.reason?.contains("fits its output schema") == true)
        let events = try await F.events(store, result.id)
        #expect(events.filter { $0.type == .modelCalled }.count == 3)
    }

    @Test func theTurnLimitEndsTheStepWithAClearReason() async throws {
        // Each call different, so that no loop is detected first.
        let model = ScriptedModel(turns: (0..<20).map { .call(("add", ["a": .int($0), "b": 1])) })
        let tools = try F.toolbox()
        let agents = try runtime(model, tools: tools, agents: [try F.agent(tools: ["add"], limits: AgentLimits(maxTurns: 3))])
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: tools, agents: agents).run(try F.workflow("assistant"))
        #expect(result.status == .limitExceeded)
        #expect(result.reason?.contains("max_turns") == true)
        let events = try await F.events(store, result.id)
        #expect(events.filter { $0.type == .modelCalled }.count == 3)
        let limit = try #require(events.first { $0.type == .agentLimitExceeded })
        #expect(limit.data["limit"] == "max_turns")
        #expect(limit.data["spent"]?["turns"] == 3)
    }

    @Test func theCostLimitEndsTheAgentOnceSpendingPassesIt() async throws {
        // 1,000 input tokens a call at $1 per million: $0.001 a call. The short prompt's estimate
        // lets the third call through; what it really cost breaks the limit.
        let turns = (0..<10).map { ScriptedModel.Turn(toolCalls: [("add", ["a": .int($0), "b": 1])], usage: TokenUsage(input: 1000, output: 0)) }
        let runtime = AgentRuntime(
            models: FixedModelResolver(["scripted": ScriptedModel(turns: turns)]), tools: try F.toolbox(),
            prices: PriceTable(["scripted:*": ModelPrice(input: 1, output: 1)])
        )
        try runtime.register(try F.agent(tools: ["add"], limits: AgentLimits(maxCostUSD: 0.0025)))
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: runtime.tools, agents: runtime).run(try F.workflow("assistant"))
        #expect(result.status == .limitExceeded)
        #expect(result.reason?.contains("max_cost_usd") == true)
        let events = try await F.events(store, result.id)
        let costs = events.filter { $0.type == .modelCalled }.compactMap { $0.data["cost_usd"]?.doubleValue }
        #expect(costs == [0.001, 0.001, 0.001])
        let limit = try #require(events.first { $0.type == .agentLimitExceeded })
        #expect(limit.data["spent"]?["cost_usd"]?.doubleValue.map { abs($0 - 0.003) < 1e-9 } == true)
    }

    @Test func aCallEstimatedToBreakTheTokenLimitIsNotMade() async throws {
        let model = CountingModel(ScriptedModel(turns: [.answer("never")]))
        let agents = try runtime(model, agents: [try F.agent(limits: AgentLimits(maxTokens: 50))])
        let store = InMemoryStore()
        let longRequest = String(repeating: "please read all of this ", count: 40)
        let result = try await Engine(store: store, agents: agents).run(try F.workflow("assistant", input: ["request": .string(longRequest)]))
        #expect(result.status == .limitExceeded)
        #expect(result.reason?.contains("max_tokens") == true)
        #expect(model.count == 0)
    }

    @Test func toolCallsOfOneTurnRunSideBySideAndAnswerInCallOrder() async throws {
        let gate = Rendezvous(parties: 2)
        let tools = try ToolBox([
            ClosureTool(ToolContract(name: "slow", description: "Waits for its sibling.", effect: .readOnly)) { arguments, _ in
                try await gate.arrive()
                return arguments["id"] ?? .null
            },
        ])
        let model = ScriptedModel(turns: [.call(("slow", ["id": 1]), ("slow", ["id": 2])), .answer("both")])
        let agents = try runtime(model, tools: tools, agents: [try F.agent(tools: ["slow"])])
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: tools, agents: agents).run(try F.workflow("assistant"))
        #expect(result.status == .succeeded)
        let events = try await F.events(store, result.id)
        let last = try #require(events.filter { $0.type == .modelCalled }.last?.data["messages"]?.arrayValue)
        #expect(last.suffix(2).map { $0["content"] } == ["1", "2"])
        #expect(last.suffix(2).map { $0["tool_call_id"] } == ["call_0_0", "call_0_1"])
    }

    @Test func aReexecutedStepReplaysItsModelAndToolCallsFromTheJournal() async throws {
        // The first attempt of the step dies at its third model call; the second replays the
        // first two calls and the side-effecting tool call from the journal.
        let calls = CallLog()
        let tools = try F.toolbox(calls: calls)
        let script = ScriptedModel(turns: [
            .call(("send_email", ["to": "a@example.com"])), .call(("add", ["a": 1, "b": 2])), .answer("sent and added"),
        ])
        let model = FailOnceAtCall(script, call: 3)
        let agents = try runtime(model, tools: tools, agents: [try F.agent(tools: ["send_email", "add"], retry: ModelRetryPolicy(maxAttempts: 1))])
        let store = InMemoryStore()
        let retry = RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(1))
        let result = try await Engine(store: store, tools: tools, agents: agents)
            .run(try F.workflow("assistant", policy: ExecutionPolicy(retry: retry)))
        #expect(result.status == .succeeded)
        #expect(calls.count("send_email") == 1)
        #expect(model.calls == 4)  // 3 on the first attempt, 1 on the second
        let events = try await F.events(store, result.id)
        #expect(events.filter { $0.type == .modelReplayed }.count == 2)
        #expect(events.filter { $0.type == .toolReplayed }.count == 1)
        #expect(events.filter { $0.type == .modelCalled }.count == 3)
    }
}

/// A provider that answers with `responses` in order, whatever the request.
final class SequenceModel: ModelProvider {
    let name = "scripted"
    let responses: [ModelResponse]
    private let next = Mutex(0)
    init(_ responses: [ModelResponse]) { self.responses = responses }
    func complete(_ request: ModelRequest) async throws -> ModelResponse {
        let index = next.withLock { value in defer { value += 1 }; return value }
        guard index < responses.count else { throw ModelError.badRequest(provider: name, status: 0, message: "no more responses") }
        return responses[index]
    }
}

/// A provider that fails call number `call` once (as if the process had died there), and
/// otherwise answers from `inner`.
final class FailOnceAtCall: ModelProvider {
    let name = "scripted"
    let inner: any ModelProvider
    let failing: Int
    private let count = Mutex(0)
    init(_ inner: any ModelProvider, call: Int) {
        self.inner = inner
        self.failing = call
    }
    var calls: Int { count.withLock { $0 } }
    func complete(_ request: ModelRequest) async throws -> ModelResponse {
        let call = count.withLock { $0 += 1; return $0 }
        if call == failing { throw ModelError.server(provider: name, status: 503, message: "simulated crash") }
        return try await inner.complete(request)
    }
}

/// Lets `parties` tasks through only once all have arrived (or fails after 10 s, so that a
/// regression to one-at-a-time calls fails instead of hanging).
actor Rendezvous {
    let parties: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    init(parties: Int) { self.parties = parties }

    func arrive() async throws {
        arrived += 1
        if arrived == parties {
            for continuation in waiting { continuation.resume() }
            waiting = []
            return
        }
        let deadline = ContinuousClock.now + .seconds(10)
        Task { [weak self] in
            try? await Task.sleep(until: deadline)
            await self?.release()
        }
        await withCheckedContinuation { waiting.append($0) }
        if arrived < parties { throw ToolError.failed(tool: "slow", code: "alone", message: "the sibling call never started", retryable: false) }
    }

    private func release() {
        for continuation in waiting { continuation.resume() }
        waiting = []
    }
}
