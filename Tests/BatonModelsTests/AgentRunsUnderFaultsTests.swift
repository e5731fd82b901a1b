import BatonCore
import BatonModels
import BatonTesting
import Testing

/// The reliability harness's promise for agents: 200 agent runs against a model server that
/// injects 429s, 500s, slow answers, resets, cut streams and malformed JSON on a seeded
/// schedule. Every run ends succeeded or with a clear failure; none hangs; budgets hold.
@Suite struct AgentRunsUnderFaultsTests {
    struct AddInput: Codable, Sendable { let a: Int; let b: Int }

    /// One tool call, then an answer that quotes the tool's result.
    static let answer: FaultInjectingModelServer.Answer = { request in
        if request.lastMessageIsToolResult {
            return ModelResponse(text: "the sum is " + request.lastMessageText, usage: TokenUsage(input: 60, output: 8))
        }
        return ModelResponse(text: "", toolCalls: [ModelToolCall(id: "call_\(request.number)", name: "add", arguments: ["a": 2, "b": 3])], usage: TokenUsage(input: 50, output: 10))
    }

    @Test func twoHundredAgentRunsThroughInjectedFaultsAllEndCleanly() async throws {
        let server = try await FaultInjectingModelServer.start(seed: 20261125, faults: .each(0.05), answer: Self.answer)
        let resolver = EnvironmentModelResolver(environment: [
            "OPENAI_API_KEY": "sk-test-0123456789abcdef", "OPENAI_BASE_URL": server.openAIBaseURL,
            "ANTHROPIC_API_KEY": "sk-ant-test-0123456789", "ANTHROPIC_BASE_URL": server.baseURL,
        ], timeouts: .init(connect: .seconds(2), read: .seconds(2)))
        let tools = try ToolBox([
            TypedTool("add", description: "Adds two integers.", effect: .pure) { (input: AddInput, _) in input.a + input.b },
        ])
        let runtime = AgentRuntime(
            models: resolver, tools: tools,
            prices: PriceTable(["openai:*": ModelPrice(input: 1, output: 2), "anthropic:*": ModelPrice(input: 1, output: 2)])
        )
        let router = ModelRouter(name: "both", models: [try ModelReference(parsing: "openai:test-model"), try ModelReference(parsing: "anthropic:test-model")])
        try runtime.register(Agent(
            name: "adder", instructions: try Template("Add with the tool."), model: .router(router), tools: ["add"],
            limits: AgentLimits(maxTurns: 4, maxCostUSD: 0.01),
            retry: ModelRetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(2), maxBackoff: .milliseconds(10)),
            modelTimeout: .seconds(5)
        ))
        var flow = WorkflowBuilder("adder")
        flow.node("ask", .agent(AgentCall(agent: "adder", input: ["request": .literal("add 2 and 3")])), into: "answer")
        let workflow = try flow.build()
        let store = InMemoryStore()
        let engine = Engine(store: store, tools: tools, agents: runtime)

        let started = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: RunResult.self) { group in
            var results: [RunResult] = []
            var launched = 0
            while launched < 8 {
                group.addTask { try await engine.run(workflow) }
                launched += 1
            }
            while let result = try await group.next() {
                results.append(result)
                if launched < 200 {
                    group.addTask { try await engine.run(workflow) }
                    launched += 1
                }
            }
            return results
        }
        let elapsed = ContinuousClock.now - started
        try await resolver.shutdown()
        await server.shutdown()

        #expect(results.count == 200)
        #expect(elapsed < .seconds(240), "the runs took \(elapsed)")
        var succeeded = 0
        for result in results {
            switch result.status {
            case .succeeded:
                succeeded += 1
                #expect(result.output?["answer"] == "the sum is 5", "run \(result.id) answered \(String(describing: result.output))")
            case .failed:
                let reason = result.reason ?? ""
                #expect(reason.contains("could not get an answer from its model") || reason.contains("reached its limit"), "run \(result.id): \(reason)")
                #expect(!reason.contains("sk-test-0123456789abcdef") && !reason.contains("sk-ant-test-0123456789"))
            default:
                Issue.record("run \(result.id) ended \(result.status)")
            }
            let events = try await store.events(run: result.id, after: 0, limit: 10_000)
            #expect(events.filter { $0.type == .modelCalled }.count <= 4, "run \(result.id) broke its turn limit")
            let cost = events.filter { $0.type == .modelCalled }.compactMap { $0.data["cost_usd"]?.doubleValue }.reduce(0, +)
            #expect(cost <= 0.01 + 1e-9)
        }
        let injected = server.injectedCounts
        print("fault harness: \(succeeded) of 200 agent runs succeeded in \(elapsed); injected \(injected.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        #expect(injected.values.reduce(0, +) > 20, "the schedule injected too few faults to prove anything")
        #expect(succeeded > 150, "retries and fallback should carry most runs through 30% faults")
    }
}
