import BatonCore
import BatonTesting
import Testing

/// Soft limits that ask a human to extend a budget (the run parks; approved, the limits grow and
/// the run goes on without repeating a call; rejected or timed out, it stops) and soft limits that
/// summarise an agent's conversation.
@Suite struct BudgetExtensionTests {
    typealias F = AgentFixtures

    static let roles = Roles(["dana": ["finance"]])
    static let spendy = TokenUsage(input: 400, output: 100)

    /// An agent that sends an email once (spending 500 tokens) and then answers, under a run budget
    /// of 1,000 tokens whose soft limit at half asks `finance` to extend it.
    static func extendingRun(factor: Double = 2, timeout: Duration? = nil) throws -> (Engine, Workflow, CountingModel, CallLog, InMemoryStore) {
        let calls = CallLog()
        let tools = try F.toolbox(calls: calls)
        let model = CountingModel(ScriptedModel(turns: [
            ScriptedModel.Turn(toolCalls: [("send_email", ["to": "ops@example.com"])], usage: Self.spendy), ScriptedModel.Turn(text: "sent", usage: Self.spendy),
        ]))
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": model]), tools: tools)
        try runtime.register(try F.agent(tools: ["send_email"]))
        var flow = WorkflowBuilder("extending")
        flow.limits.budget = Budget(
            maxTokens: 1000, soft: SoftLimit(share: 0.5, action: .extend, extensionRequest: BudgetExtensionRequest(role: "finance", factor: factor, timeout: timeout))
        )
        flow.node("ask", .agent(AgentCall(agent: "assistant", input: ["request": .literal("tell ops")])), into: "answer")
        let store = InMemoryStore()
        return (Engine(store: store, tools: tools, agents: runtime), try flow.build(), model, calls, store)
    }

    @Test func aRunParksToAskForMoreAndGoesOnWithoutRepeatingACallOnceGranted() async throws {
        let (engine, workflow, model, calls, store) = try Self.extendingRun()
        let parked = try await engine.run(workflow)
        #expect(parked.status == .waiting)
        #expect(model.count == 1)
        let request = try #require(try await engine.approvals().first).request
        #expect(request.role == "finance")
        #expect(request.action.contains("max_tokens from 1000 to 2000"), "\(request.action)")
        #expect(request.reason.contains("spent 500"), "\(request.reason)")
        #expect(request.arguments["factor"] == 2)

        let finished = try await engine.decide(approval: request.id, approve: true, as: "dana", roles: Self.roles)
        #expect(finished.status == .succeeded, "\(finished.reason ?? "")")
        #expect(finished.output?["answer"] == "sent")
        #expect(model.count == 2, "the model call before the request replayed from the journal")
        #expect(calls.count("send_email") == 1, "the email sent before the request replayed from the journal, not sent again")
        let extended = try #require(try await F.events(store, parked.id).first { $0.type == .budgetExtended })
        #expect(extended.data["by"] == "dana")
        #expect(extended.data["factor"] == 2)
        #expect(try await store.run(parked.id)?.checkpoint.budgetScale == 2, "the extension outlives the step")
    }

    @Test func aRefusedExtensionStopsTheRunWithWhoRefusedIt() async throws {
        let (engine, workflow, model, _, store) = try Self.extendingRun()
        let parked = try await engine.run(workflow)
        let id = try #require(parked.waitingFor.first?.approval)
        let finished = try await engine.decide(approval: id, approve: false, as: "dana", roles: Self.roles, comment: "over the quarter's budget")
        #expect(finished.status == .limitExceeded)
        #expect(finished.reason?.contains("dana refused it: over the quarter's budget") == true, "\(finished.reason ?? "")")
        #expect(model.count == 1)
        #expect(try await F.events(store, parked.id).contains { $0.type == .budgetExtensionRefused })
    }

    @Test func anApproverMayGrantAnotherFactor() async throws {
        let (engine, workflow, _, _, store) = try Self.extendingRun()
        let parked = try await engine.run(workflow)
        let id = try #require(parked.waitingFor.first?.approval)
        let finished = try await engine.decide(approval: id, approve: true, as: "dana", roles: Self.roles, arguments: ["factor": 3])
        #expect(finished.status == .succeeded)
        #expect(try await store.run(parked.id)?.checkpoint.budgetScale == 3)
    }

    @Test func onlyTheRoleMayExtend() async throws {
        let (engine, workflow, _, _, _) = try Self.extendingRun()
        let parked = try await engine.run(workflow)
        let id = try #require(parked.waitingFor.first?.approval)
        await #expect(throws: ApprovalError.self) {
            try await engine.decide(approval: id, approve: true, as: "eve", roles: Self.roles)
        }
        #expect(try await engine.approvals().count == 1, "the request is still pending")
    }

    @Test func anExpiredRequestRefusesTheExtension() async throws {
        let (engine, workflow, _, _, _) = try Self.extendingRun(timeout: .milliseconds(50))
        let parked = try await engine.run(workflow)
        #expect(parked.status == .waiting)
        try await Task.sleep(for: .milliseconds(80))
        let finished = try await engine.resume(parked.id)
        #expect(finished.status == .limitExceeded)
        #expect(finished.reason?.contains("no one decided before the deadline") == true, "\(finished.reason ?? "")")
    }

    @Test func toolNodesAskBeforeTheCallThatWouldPassTheShare() async throws {
        let calls = CallLog()
        let tools = try F.toolbox(calls: calls)
        var flow = WorkflowBuilder("tools")
        flow.limits.budget = Budget(maxToolCalls: 2, soft: SoftLimit(share: 0.75, action: .extend, extensionRequest: BudgetExtensionRequest(role: "finance")))
        for index in 0..<3 {
            flow.node("add\(index)", .tool(ToolCall(tool: "add", arguments: ["a": .literal(.int(index)), "b": .literal(1)])), into: "sum\(index)")
            if index > 0 { flow.edge("add\(index - 1)", "add\(index)") }
        }
        let store = InMemoryStore()
        let engine = Engine(store: store, tools: tools)
        let parked = try await engine.run(try flow.build())
        #expect(parked.status == .waiting)
        #expect(calls.count("add") == 1, "the second call would reach 2 of 2: asked first")
        let id = try #require(parked.waitingFor.first?.approval)
        let again = try await engine.decide(approval: id, approve: true, as: "dana", roles: Self.roles)
        #expect(again.status == .waiting, "at 2 of 4, the third call would reach the share of 4 again: asked again")
        #expect(calls.count("add") == 2)
        let second = try #require(again.waitingFor.first?.approval)
        #expect(second != id)
        let finished = try await engine.decide(approval: second, approve: true, as: "dana", roles: Self.roles)
        #expect(finished.status == .succeeded, "\(finished.reason ?? "")")
        #expect(calls.count("add") == 3)
        #expect(finished.output?["sum2"] == ["sum": 3])
        #expect(try await store.run(parked.id)?.checkpoint.budgetScale == 4, "each step's extension built on the last")
    }

    @Test func aSoftLimitThatSummarizesReplacesTheConversationWithASummary() async throws {
        let turns = (0..<3).map { ScriptedModel.Turn(toolCalls: [("add", ["a": .int($0), "b": 1])], usage: Self.spendy) } + [.answer("done")]
        let model = CountingModel(ScriptedModel(turns: turns))
        let tools = try F.toolbox()
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": model]), tools: tools)
        try runtime.register(try F.agent(tools: ["add"]))
        var flow = WorkflowBuilder("summarizing")
        flow.limits.budget = Budget(maxTokens: 10_000, soft: SoftLimit(share: 0.09, action: .summarize))
        flow.node("ask", .agent(AgentCall(agent: "assistant", input: ["request": .literal("go")])), into: "answer")
        let store = InMemoryStore()
        let result = try await Engine(store: store, tools: tools, agents: runtime).run(try flow.build())
        #expect(result.status == .succeeded, "\(result.reason ?? "")")
        #expect(result.output?["answer"] == "done", "the turns a summary stands for count as answered")
        let events = try await F.events(store, result.id)
        let calls = events.filter { $0.type == .modelCalled }
        #expect(calls.count == 5, "four turns and one summary, made once the second turn reached the share")
        let summary = try #require(calls.first { $0.data["purpose"] == "summary" })
        #expect(summary.data["messages"]?.arrayValue?.last?["content"]?.stringValue?.contains("calls add") == true)
        let summarized = try #require(events.first { $0.type == .agentSummarized })
        #expect(summarized.data["turns"] == 2)
        let after = try #require(calls.last { $0.data["purpose"] == nil })
        let messages = after.data["messages"]?.arrayValue ?? []
        #expect(messages[1]["content"]?.stringValue?.contains("Summary of your first") == true)
        #expect(messages.count < 2 + 2 * 3, "the transcript after the summary is shorter than the whole conversation")
    }
}
