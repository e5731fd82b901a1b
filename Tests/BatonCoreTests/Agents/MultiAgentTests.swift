import BatonCore
import BatonTesting
import Testing

/// Hand-offs and agents called as tools, bounded by their callers' limits.
@Suite struct MultiAgentTests {
    typealias F = AgentFixtures

    @Test func anAgentHandsTheConversationToAnother() async throws {
        let model = ScriptedModel([
            .init(agent: "triage", turns: [ScriptedModel.Turn(toolCalls: [("transfer_to_billing", ["reason": "a refund"])])]),
            .init(agent: "billing", turns: [.answer("Refund issued.")]),
        ])
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": model]))
        try runtime.register(try F.agent("billing"))
        try runtime.register(try F.agent("triage", handoffs: ["billing"]))
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: runtime).run(try F.workflow("triage"))
        #expect(result.output?["answer"] == "Refund issued.")
        let events = try await F.events(store, result.id)
        let handoff = try #require(events.first { $0.type == .agentHandoff })
        #expect(handoff.data["from"] == "triage")
        #expect(handoff.data["to"] == "billing")
        #expect(handoff.data["reason"] == "a refund")
        // Billing saw the whole conversation under its own system prompt.
        let billingCall = try #require(events.filter { $0.type == .modelCalled }.last)
        #expect(billingCall.data["agent"] == "billing")
        #expect(billingCall.data["messages"]?.arrayValue?.first?["content"]?.stringValue?.hasPrefix("You are billing") == true)
        #expect(billingCall.data["messages"]?.arrayValue?.count == 4)
    }

    @Test func aManagerCallsAWorkerAsAToolAndGetsItsStructuredAnswer() async throws {
        let model = ScriptedModel([
            .init(agent: "manager", turns: [.call(("researcher", ["request": "population of Paris"])), .answer("Paris has 2.1M people.")]),
            .init(agent: "researcher", turns: [.answer(json: ["city": "Paris", "population": 2_100_000])]),
        ])
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": model]))
        var researcher = try F.agent("researcher", output: ["type": "object", "required": ["population"]])
        researcher.role = "Finds facts about cities"
        try runtime.register(researcher)
        try runtime.register(try F.agent("manager", agentTools: ["researcher"]))
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: runtime).run(try F.workflow("manager"))
        #expect(result.output?["answer"] == "Paris has 2.1M people.")
        let events = try await F.events(store, result.id)
        let calls = events.filter { $0.type == .modelCalled }
        #expect(calls.map { $0.data["agent"] } == ["manager", "researcher", "manager"])
        #expect(calls[0].data["tools"] == ["researcher"])
        let toolAnswer = try #require(calls[2].data["messages"]?.arrayValue?.last?["content"]?.stringValue)
        #expect(try JSON(parsing: toolAnswer) == ["city": "Paris", "population": 2_100_000])
        // The worker's calls are journaled in the manager's step, in a branch of their own.
        #expect(calls[1].data["step"]?.stringValue?.hasSuffix("/t1.0") == true)
        let finished = try #require(events.last { $0.type == .agentFinished && $0.data["agent"] == "manager" })
        #expect(finished.data["spent"]?["usage"]?["input"]?.intValue ?? 0 > calls[0].data["usage"]?["input"]?.intValue ?? 0)
    }

    @Test func aWorkerIsBoundedByWhatRemainsOfItsManagersBudget() async throws {
        let expensive = TokenUsage(input: 400, output: 0)
        let model = ScriptedModel([
            .init(agent: "manager", turns: [ScriptedModel.Turn(toolCalls: [("worker", ["request": "dig"])], usage: expensive), .answer("done")]),
            .init(agent: "worker", turns: Array(repeating: ScriptedModel.Turn(toolCalls: [("add", ["a": 1, "b": 1])], usage: expensive), count: 10)),
        ])
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": model]), tools: try F.toolbox())
        try runtime.register(try F.agent("worker", tools: ["add"]))
        try runtime.register(try F.agent("manager", limits: AgentLimits(maxTokens: 1000), agentTools: ["worker"]))
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: runtime.tools, agents: runtime).run(try F.workflow("manager"))
        #expect(result.status == .limitExceeded)
        #expect(result.reason?.contains("max_tokens") == true)
        let events = try await F.events(store, result.id)
        let limits = events.filter { $0.type == .agentLimitExceeded }
        #expect(limits.map { $0.data["agent"] } == ["worker", "manager"])
        // The worker had 600 of the manager's tokens left: its second call (800 in all) broke it.
        #expect(events.filter { $0.type == .modelCalled && $0.data["agent"] == "worker" }.count == 2)
        #expect(limits.first?.data["detail"]?.stringValue?.contains("600 allowed") == true)
    }

    @Test func aDefinitionThatNamesMissingPartsIsRefusedClearly() async throws {
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": ScriptedModel(turns: [.answer("x")])]), tools: try F.toolbox())
        try runtime.register(try F.agent("lonely", tools: ["no_such_tool"]))
        try runtime.register(try F.agent("leader", handoffs: ["ghost"]))
        let engine = Engine(store: InMemoryStore(), tools: runtime.tools, agents: runtime)
        let missingTool = try await engine.run(try F.workflow("lonely"))
        #expect(missingTool.status == .failed)
        #expect(missingTool.reason?.contains("tool 'no_such_tool', which is not registered") == true)
        let missingAgent = try await engine.run(try F.workflow("leader"))
        #expect(missingAgent.reason?.contains("agent 'ghost', which is not registered") == true)
        let unknown = try await engine.run(try F.workflow("nobody"))
        #expect(unknown.reason?.contains("no agent named 'nobody'") == true)
        #expect(throws: AgentError.self) { try runtime.register(try F.agent("bad name!")) }
        #expect(throws: AgentError.self) { try runtime.register(try F.agent("turnless", limits: AgentLimits(maxTurns: 0))) }
        #expect(throws: AgentError.self) { try runtime.register(try F.agent("badschema", output: ["type": 12])) }
    }
}
