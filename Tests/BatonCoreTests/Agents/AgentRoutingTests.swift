import BatonCore
import BatonTesting
import Testing

/// Retries, provider fallback, escalation up a router, the response cache, and bad references.
@Suite struct AgentRoutingTests {
    typealias F = AgentFixtures

    func router(_ models: [String], escalation: Set<ModelRouter.Escalation> = [.invalidOutput, .criterionFailed],
                classifier: (@Sendable (JSON, JSON) -> String?)? = nil) throws -> ModelChoice {
        .router(ModelRouter(name: "cheap-first", models: try models.map { try ModelReference(parsing: $0) }, escalation: escalation, classifier: classifier))
    }

    func agent(_ model: ModelChoice, output: JSON? = nil, retry: ModelRetryPolicy = ModelRetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(1))) throws -> Agent {
        Agent(name: "assistant", instructions: try Template("Answer."), model: model, outputSchema: output, retry: retry)
    }

    @Test func aRateLimitIsRetriedAfterTheTimeTheProviderAsked() async throws {
        let limited = CountingModel(ScriptedModel(turns: [.answer("ok")]), failures: 1, error: .rateLimited(provider: "test", retryAfter: .milliseconds(30), message: "slow down"))
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": limited]))
        try runtime.register(try agent(.model(try ModelReference(parsing: "scripted:a"))))
        let store = InMemoryStore()
        let started = ContinuousClock.now
        let result = try await Engine(store: store, agents: runtime).run(try F.workflow("assistant"))
        #expect(result.status == .succeeded)
        #expect(ContinuousClock.now - started >= .milliseconds(30))
        let failed = try #require(try await F.events(store, result.id).first { $0.type == .modelFailed })
        #expect(failed.data["error"]?["code"] == "model_rate_limited")
        #expect(failed.data["will_retry"] == true)
        #expect(failed.data["retry_in_ms"] == 30)
    }

    @Test func aProviderThatKeepsFailingFallsBackToTheNextModel() async throws {
        let down = CountingModel(ScriptedModel(turns: [.answer("never")]), failures: .max)
        let up = CountingModel(ScriptedModel(turns: [.answer("from the backup")]))
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted:primary": down, "scripted:backup": up]))
        try runtime.register(try agent(try router(["scripted:primary", "scripted:backup"])))
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: runtime).run(try F.workflow("assistant"))
        #expect(result.output?["answer"] == "from the backup")
        #expect(down.count == 2)
        let events = try await F.events(store, result.id)
        #expect(events.filter { $0.type == .modelFailed }.count == 2)
        let routed = try #require(events.first { $0.type == .modelRouted })
        #expect(routed.data["reason"] == "provider_error")
        #expect(routed.data["to"] == "scripted:backup")
        #expect(events.first { $0.type == .modelCalled }?.data["reference"] == "scripted:backup")
    }

    @Test func anAuthenticationFailureIsNotRetried() async throws {
        let refused = CountingModel(ScriptedModel(turns: [.answer("never")]), failures: .max, error: .authentication(provider: "test", status: 401, message: "bad key"))
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": refused]))
        try runtime.register(try agent(.model(try ModelReference(parsing: "scripted:a"))))
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: runtime).run(try F.workflow("assistant"))
        #expect(result.status == .failed)
        #expect(result.reason?.contains("refused the API key") == true)
        #expect(refused.count == 1)
    }

    @Test func anAnswerThatFailsItsSchemaEscalatesToTheNextModel() async throws {
        // A script's turns count the conversation's answers, whichever model gave them: the strong
        // model is asked for the conversation's second answer.
        let cheap = ScriptedModel(turns: [.answer("a guess")])
        let strong = ScriptedModel(turns: [.answer("(the cheap model's turn)"), .answer(json: ["total": 42])])
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted:cheap": cheap, "scripted:strong": strong]))
        try runtime.register(try agent(try router(["scripted:cheap", "scripted:strong"]), output: ["type": "object", "required": ["total"]]))
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: runtime).run(try F.workflow("assistant"))
        #expect(result.output?["answer"] == ["total": 42])
        let events = try await F.events(store, result.id)
        let routed = try #require(events.first { $0.type == .modelRouted })
        #expect(routed.data["reason"] == "invalid_output")
        #expect(events.filter { $0.type == .modelCalled }.map { $0.data["reference"] } == ["scripted:cheap", "scripted:strong"])
    }

    @Test func aClassifierCanSendTheQuestionToTheStrongerModel() async throws {
        let cheap = ScriptedModel(turns: [.answer("I am not sure")])
        let strong = ScriptedModel(turns: [.answer("Certainly 42")])
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted:cheap": cheap, "scripted:strong": strong]))
        let choice = try router(["scripted:cheap", "scripted:strong"], escalation: []) { answer, _ in
            answer.stringValue?.contains("not sure") == true ? "the answer hedges" : nil
        }
        try runtime.register(try agent(choice))
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: runtime).run(try F.workflow("assistant"))
        #expect(result.output?["answer"] == "Certainly 42")
        let routed = try #require(try await F.events(store, result.id).first { $0.type == .modelRouted })
        #expect(routed.data["reason"] == "classifier")
        #expect(routed.data["detail"] == "the answer hedges")
    }

    @Test func aFailedSuccessCriterionStartsTheNextAttemptOneModelUp() async throws {
        let cheap = ScriptedModel(turns: [.answer("short")])
        let strong = ScriptedModel(turns: [.answer("a long and careful answer")])
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted:cheap": cheap, "scripted:strong": strong]))
        try runtime.register(try agent(try router(["scripted:cheap", "scripted:strong"])))
        let policy = ExecutionPolicy(
            retry: RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(1)),
            success: .condition(.predicate(name: "long enough") { scope in (scope["output"]?.stringValue?.count ?? 0) > 10 })
        )
        var flow = WorkflowBuilder("criterion")
        flow.node("ask", .agent(AgentCall(agent: "assistant")), policy: policy, into: "answer")
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: runtime).run(try flow.build())
        #expect(result.output?["answer"] == "a long and careful answer")
        let routed = try #require(try await F.events(store, result.id).first { $0.type == .modelRouted })
        #expect(routed.data["reason"] == "criterion_failed")
    }

    @Test func withoutARouterTheNextAttemptTellsTheModelWhyItsAnswerFailed() async throws {
        let model = CountingModel(ScriptedModel(turns: [.answer("short"), .answer("a long and careful answer")]))
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": model]))
        try runtime.register(try agent(.model(try ModelReference(parsing: "scripted:a"))))
        let policy = ExecutionPolicy(
            retry: RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(1)),
            success: .condition(.predicate(name: "long enough") { scope in (scope["output"]?.stringValue?.count ?? 0) > 10 })
        )
        var flow = WorkflowBuilder("criterion-feedback")
        flow.node("ask", .agent(AgentCall(agent: "assistant")), policy: policy, into: "answer")
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: runtime).run(try flow.build())
        #expect(result.output?["answer"] == "a long and careful answer")
        // The first answer was replayed from the journal, not asked again.
        #expect(model.count == 2)
        let events = try await F.events(store, result.id)
        let told = try #require(events.first { $0.type == .agentCriterionFailed })
        #expect(told.data["reason"]?.stringValue?.contains("long enough") == true)
        let last = try #require(events.last { $0.type == .modelCalled }?.data["messages"]?.arrayValue?.last)
        #expect(last["role"] == "user")
        #expect(last["content"]?.stringValue?.contains("did not pass the check") == true)
    }

    @Test func aCachedAnswerIsServedWithoutCallingTheModel() async throws {
        let model = CountingModel(ScriptedModel(turns: [.answer("cached answer")]))
        let cache = InMemoryResponseCache()
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": model]), cache: cache)
        var cached = try agent(.model(try ModelReference(parsing: "scripted:a")))
        cached.cache = CachePolicy(ttl: .seconds(60))
        try runtime.register(cached)
        let store = InMemoryStore()
        let engine = Engine(store: store, agents: runtime)
        let first = try await engine.run(try F.workflow("assistant"))
        let second = try await engine.run(try F.workflow("assistant"))
        #expect(first.output == second.output)
        #expect(model.count == 1)
        #expect(try await F.events(store, first.id).contains { $0.type == .cacheMiss })
        let secondEvents = try await F.events(store, second.id)
        #expect(secondEvents.contains { $0.type == .cacheHit && $0.data["kind"] == "model" })
        #expect(secondEvents.first { $0.type == .modelCalled }?.data["cache"] == "hit")
    }

    @Test func aProviderThatHangsTimesOutAndTheStepFailsWithTheCause() async throws {
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": HangingModel()]))
        var patient = try agent(.model(try ModelReference(parsing: "scripted:a")))
        patient.modelTimeout = .milliseconds(50)
        try runtime.register(patient)
        let store = InMemoryStore()
        let started = ContinuousClock.now
        let result = try await Engine(store: store, agents: runtime).run(try F.workflow("assistant"))
        #expect(ContinuousClock.now - started < .seconds(45), "it ends, well before a hang would")
        #expect(result.status == .failed)
        #expect(result.reason?.contains("did not answer within") == true)
        let failures = try await F.events(store, result.id).filter { $0.type == .modelFailed }
        #expect(failures.map { $0.data["error"]?["code"] } == ["model_timeout", "model_timeout"])
        #expect(failures.map { $0.data["will_retry"] } == [true, false])
    }

    @Test func anUnknownModelReferenceIsAClearFailure() async throws {
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": ScriptedModel(turns: [.answer("x")])]))
        try runtime.register(try agent(.model(try ModelReference(parsing: "nosuch:model"))))
        let store = InMemoryStore()
        let result = try await Engine(store: store, agents: runtime).run(try F.workflow("assistant"))
        #expect(result.status == .failed)
        #expect(result.reason?.contains("unknown model 'nosuch:model'") == true)
        #expect(throws: ModelError.self) { try ModelReference(parsing: "gpt-4o") }
        #expect(throws: ModelError.self) { try ModelReference(parsing: "openai-compatible:qwen") }
        let compatible = try ModelReference(parsing: "openai-compatible:qwen2.5@http://localhost:8000/v1")
        #expect(compatible.model == "qwen2.5")
        #expect(compatible.baseURL == "http://localhost:8000/v1")
    }

    @Test func pricesComeFromTheTableByReferenceNameOrFamily() throws {
        let table = PriceTable.standard
        let usage = TokenUsage(input: 1_000_000, output: 1_000_000, cached: 500_000)
        #expect(table.cost(of: usage, on: try ModelReference(parsing: "openai:gpt-4.1-mini")) == 0.2 + 0.05 + 1.6)
        #expect(table.cost(of: usage, on: try ModelReference(parsing: "openai:gpt-4.1-mini-2025-04-14")) == 0.2 + 0.05 + 1.6)
        #expect(table.cost(of: usage, on: try ModelReference(parsing: "ollama:llama3.2")) == 0)
        #expect(table.cost(of: usage, on: try ModelReference(parsing: "openai:unheard-of")) == nil)
        let custom = try PriceTable(json: ["house-model": ["input": 1, "output": 2]])
        #expect(table.merging(custom).cost(of: TokenUsage(input: 1_000_000), on: try ModelReference(parsing: "vllm:house-model")) == 1)
        #expect(throws: PriceTableError.self) { try PriceTable(json: ["m": ["input": -1, "output": 1]]) }
        #expect(throws: PriceTableError.self) { try PriceTable(json: ["m": ["input": 1, "output": 1, "cache": 1]]) }
    }
}

/// A provider that never answers on its own.
struct HangingModel: ModelProvider {
    let name = "hanging"
    func complete(_ request: ModelRequest) async throws -> ModelResponse {
        try? await Task.sleep(for: .seconds(3600))
        throw ModelError.transport(provider: name, message: "woke up")
    }
}
