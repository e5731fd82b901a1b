import BatonCore
import BatonTesting
import Testing

/// Budgets at run, step and agent level (checked before each call with an estimate, charged after
/// with what was spent, soft limits that act first), and loop detection.
@Suite struct BudgetAndLoopTests {
    typealias F = AgentFixtures

    /// Two agent nodes one after the other, each asking `assistant`.
    static func twoSteps(limits: RunLimits, secondBudget: Budget? = nil) throws -> Workflow {
        var flow = WorkflowBuilder("two-steps")
        flow.limits = limits
        flow.node("first", .agent(AgentCall(agent: "assistant", input: ["request": .literal("one")])), into: "first")
        flow.node("second", .agent(AgentCall(agent: "assistant", input: ["request": .literal("two")])), policy: ExecutionPolicy(budget: secondBudget), into: "second")
        flow.edge("first", "second")
        return try flow.build()
    }

    static func runtime(_ turns: [ScriptedModel.Turn], tools: ToolBox? = nil, agent: Agent? = nil) throws -> AgentRuntime {
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": ScriptedModel(turns: turns)]), tools: tools)
        try runtime.register(try agent ?? F.agent(tools: tools == nil ? [] : ["add"]))
        return runtime
    }

    static let spendy = TokenUsage(input: 400, output: 100)

    @Test func theRunsBudgetSpansItsStepsAndStopsTheRunWithItsStateSoFar() async throws {
        let runtime = try Self.runtime([ScriptedModel.Turn(text: "first answer", usage: Self.spendy), ScriptedModel.Turn(text: "never", usage: Self.spendy)])
        let store = InMemoryStore()
        var limits = RunLimits()
        limits.budget = Budget(maxTokens: 510)
        let result = try await Engine(store: store, agents: runtime).run(try Self.twoSteps(limits: limits))
        #expect(result.status == .limitExceeded)
        #expect(result.reason?.contains("run's budget of max_tokens") == true)
        #expect(result.output?["first"] == "first answer", "the partial output keeps what the first step wrote")
        let events = try await F.events(store, result.id)
        #expect(events.filter { $0.type == .modelCalled }.count == 1, "the second step's call was refused before it was made")
        let exceeded = try #require(events.first { $0.type == .budgetExceeded })
        #expect(exceeded.data["scope"] == "run")
        #expect(exceeded.data["detail"]?.stringValue?.contains("500 spent") == true)
        let checkpoint = try #require(try await store.run(result.id)?.checkpoint)
        #expect(checkpoint.spent?.tokens == 500)
        #expect(checkpoint.spent?.modelCalls == 1)
    }

    @Test func aCallThatSpendsMoreThanItsEstimateStopsTheStepOnceTheRunsBudgetIsPassed() async throws {
        let runtime = try Self.runtime([ScriptedModel.Turn(text: "one", usage: Self.spendy), ScriptedModel.Turn(text: "two", usage: Self.spendy)])
        let store = InMemoryStore()
        var limits = RunLimits()
        limits.budget = Budget(maxTokens: 700)
        let result = try await Engine(store: store, agents: runtime).run(try Self.twoSteps(limits: limits))
        #expect(result.status == .limitExceeded)
        #expect(result.output?["second"] == nil, "the answer that passed the budget is not used")
        let events = try await F.events(store, result.id)
        #expect(events.filter { $0.type == .modelCalled }.count == 2)
        #expect(events.first { $0.type == .budgetExceeded }?.data["detail"]?.stringValue?.contains("1000 spent") == true)
    }

    @Test func aStepsBudgetLimitsThatStepAlone() async throws {
        let runtime = try Self.runtime([ScriptedModel.Turn(text: "one", usage: Self.spendy), ScriptedModel.Turn(text: "two", usage: Self.spendy)])
        let result = try await Engine(store: InMemoryStore(), agents: runtime).run(try Self.twoSteps(limits: RunLimits(), secondBudget: Budget(maxInputTokens: 5)))
        #expect(result.status == .limitExceeded)
        #expect(result.reason?.contains("step's budget of max_input_tokens") == true)
        #expect(result.output?["first"] == "one")
    }

    @Test func spendingAddsUpAcrossStepsAndToolNodesCountAsToolCalls() async throws {
        let calls = CallLog()
        let tools = try F.toolbox(calls: calls)
        var flow = WorkflowBuilder("tools")
        flow.limits.budget = Budget(maxToolCalls: 2)
        for index in 0..<3 {
            flow.node("add\(index)", .tool(ToolCall(tool: "add", arguments: ["a": .literal(.int(index)), "b": .literal(1)])), into: "sum\(index)")
            if index > 0 { flow.edge("add\(index - 1)", "add\(index)") }
        }
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: tools).run(try flow.build())
        #expect(result.status == .limitExceeded)
        #expect(result.reason?.contains("max_tool_calls") == true)
        #expect(calls.count("add") == 2)
        #expect(result.output?["sum1"] == ["sum": 2])
        #expect(try await store.run(result.id)?.checkpoint.spent?.toolCalls == 2)
    }

    @Test func aWallTimeBudgetStopsARunThatRanTooLong() async throws {
        let runtime = try Self.runtime([.answer("late")])
        var flow = WorkflowBuilder("slow")
        flow.limits.budget = Budget(maxWallTime: .milliseconds(50))
        flow.function("wait") { _ in
            try await Task.sleep(for: .milliseconds(80))
            return ["waited": true]
        }
        flow.node("ask", .agent(AgentCall(agent: "assistant", input: ["request": .literal("go")])), into: "answer")
        flow.edge("wait", "ask")
        let result = try await Engine(store: InMemoryStore(), agents: runtime).run(try flow.build())
        #expect(result.status == .limitExceeded)
        #expect(result.reason?.contains("max_wall_time") == true)
        #expect(result.output?["waited"] == true)
    }

    @Test func aSoftLimitIsRecordedOnceBeforeTheHardOneActs() async throws {
        let turns = (0..<4).map { ScriptedModel.Turn(toolCalls: [("add", ["a": .int($0), "b": 1])], usage: Self.spendy) } + [.answer("done")]
        let tools = try F.toolbox()
        let runtime = try Self.runtime(turns, tools: tools)
        var limits = RunLimits()
        limits.budget = Budget(maxTokens: 10_000, soft: SoftLimit(share: 0.1, action: .record))
        var flow = WorkflowBuilder("soft")
        flow.limits = limits
        flow.node("ask", .agent(AgentCall(agent: "assistant", input: ["request": .literal("go")])), into: "answer")
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: tools, agents: runtime).run(try flow.build())
        #expect(result.status == .succeeded)
        let soft = try await F.events(store, result.id).filter { $0.type == .budgetSoftLimit }
        #expect(soft.count == 1)
        #expect(soft.first?.data["limit"] == "max_tokens")
        #expect(soft.first?.data["scope"] == "run")
    }

    @Test func aSoftLimitThatDowngradesMovesTheAgentToItsCheapestModel() async throws {
        // A scripted model answers by the conversation's turn: the cheap one answers turns 1 and 3.
        let cheap = CountingModel(ScriptedModel(turns: [.answer("not json"), .answer("unused"), .answer(#"{"ok": true}"#)]))
        let strong = CountingModel(ScriptedModel(turns: Array(repeating: ScriptedModel.Turn(text: "still not json", usage: TokenUsage(input: 900, output: 0)), count: 3)))
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted:cheap": cheap, "scripted:strong": strong]))
        let router = ModelRouter(name: "r", models: [try ModelReference(parsing: "scripted:cheap"), try ModelReference(parsing: "scripted:strong")], escalation: [.invalidOutput])
        try runtime.register(Agent(
            name: "assistant", instructions: try Template("Answer."), model: .router(router), outputSchema: ["type": "object"], repairAttempts: 3,
            limits: AgentLimits(maxTokens: 1000, soft: SoftLimit(share: 0.5, action: .downgrade))
        ))
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: runtime).run(try F.workflow("assistant"))
        #expect(result.status == .succeeded, "\(result.reason ?? "")")
        #expect(result.output?["answer"] == ["ok": true])
        let references = try await F.events(store, result.id).filter { $0.type == .modelCalled }.map { $0.data["reference"] }
        #expect(references == ["scripted:cheap", "scripted:strong", "scripted:cheap"])
        let soft = try #require(try await F.events(store, result.id).first { $0.type == .budgetSoftLimit })
        #expect(soft.data["action"] == "downgrade")
        #expect(soft.data["to"] == "scripted:cheap")
    }

    @Test func aSoftLimitThatCompactsLeavesOutEarlierToolResults() async throws {
        let turns = (0..<3).map { ScriptedModel.Turn(toolCalls: [("lookup_city", ["city": .string("City\($0)"), "country_code": "FR"])], usage: Self.spendy) }
            + [.answer("done")]
        let tools = try F.toolbox()
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": ScriptedModel(turns: turns)]), tools: tools)
        try runtime.register(try F.agent(tools: ["lookup_city"], limits: AgentLimits(maxTokens: 100_000, soft: SoftLimit(share: 0.001, action: .compact))))
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: tools, agents: runtime).run(try F.workflow("assistant"))
        #expect(result.status == .succeeded)
        let last = try #require(try await F.events(store, result.id).last { $0.type == .modelCalled })
        let toolContents = last.data["messages"]?.arrayValue?.filter { $0["role"] == "tool" }.compactMap { $0["content"]?.stringValue } ?? []
        #expect(toolContents.count == 3)
        #expect(toolContents.dropLast().allSatisfy { $0.hasPrefix("[result of an earlier turn:") })
        #expect(toolContents.last?.contains("population") == true)
    }

    @Test func theSameCallAThirdTimeIsALoopThatStopsTheRun() async throws {
        let calls = CallLog()
        let tools = try F.toolbox(calls: calls)
        let runtime = try Self.runtime(Array(repeating: .call(("add", ["a": 1, "b": 1])), count: 10), tools: tools)
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: tools, agents: runtime).run(try F.workflow("assistant"))
        #expect(result.status == .limitExceeded)
        #expect(result.reason?.contains("loop") == true)
        #expect(calls.count("add") == 2, "the third identical call is not made")
        let loop = try #require(try await F.events(store, result.id).first { $0.type == .loopDetected })
        #expect(loop.data["tool"] == "add")
        #expect(loop.data["count"] == 3)
    }

    @Test func anEscalatingLoopRefusesTheCallAndAsksAStrongerModel() async throws {
        let calls = CallLog()
        let tools = try F.toolbox(calls: calls)
        let cheap = ScriptedModel(turns: Array(repeating: .call(("add", ["a": 1, "b": 1])), count: 3))
        let strong = ScriptedModel(turns: Array(repeating: .answer("2, and no need to ask again"), count: 6))
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted:cheap": cheap, "scripted:strong": strong]), tools: tools)
        let router = ModelRouter(name: "r", models: [try ModelReference(parsing: "scripted:cheap"), try ModelReference(parsing: "scripted:strong")], escalation: [])
        try runtime.register(Agent(name: "assistant", instructions: try Template("Answer."), model: .router(router), tools: ["add"]))
        var flow = WorkflowBuilder("escalate")
        flow.limits.loops = LoopDetection(sameToolCalls: 3, action: .escalate)
        flow.node("ask", .agent(AgentCall(agent: "assistant", input: ["request": .literal("go")])), into: "answer")
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: tools, agents: runtime).run(try flow.build())
        #expect(result.status == .succeeded, "\(result.reason ?? "")")
        #expect(result.output?["answer"] == "2, and no need to ask again")
        #expect(calls.count("add") == 2)
        let events = try await F.events(store, result.id)
        #expect(events.first { $0.type == .modelRouted }?.data["reason"] == "loop")
        let refusal = events.last { $0.type == .modelCalled }?.data["messages"]?.arrayValue?.last?["content"]?.stringValue
        #expect(refusal?.contains("repeated_call") == true)
    }

    @Test func aStateThatStopsChangingIsALoop() async throws {
        var flow = WorkflowBuilder("spin")
        flow.limits.loops = LoopDetection(unchangedStateSteps: 3)
        flow.function("poll") { _ in ["status": "pending"] }
        flow.edge("poll", "poll", when: try .when("state.status == 'pending'"))
        let store = InMemoryStore()
        let result = try await Engine(store: store).run(try flow.build())
        #expect(result.status == .limitExceeded)
        #expect(result.reason?.contains("has not changed for 3 supersteps") == true)
        #expect(try await store.run(result.id)?.checkpoint.superstep == 4)
    }

    @Test func promptTemplatesSeeWhatRemainsOfTheBudgets() async throws {
        let model = CountingModel(ScriptedModel(turns: [.answer("ok")]))
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": model]))
        try runtime.register(Agent(
            name: "assistant", instructions: try Template("You have {{budget.run.tokens}} tokens and {{budget.agent.turns}} turns."),
            model: .model(try ModelReference(parsing: "scripted:x"))
        ))
        var flow = WorkflowBuilder("remaining")
        flow.limits.budget = Budget(maxTokens: 5000)
        flow.node("ask", .agent(AgentCall(agent: "assistant", input: ["request": .literal("go")])), into: "answer")
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: runtime).run(try flow.build())
        let system = try await F.events(store, result.id).first { $0.type == .modelCalled }?.data["messages"]?.arrayValue?.first?["content"]
        #expect(system == "You are assistant: .\n\nYou have 5000 tokens and 10 turns." || system == "You have 5000 tokens and 10 turns.")
    }
}
