import BatonCore
import BatonModels
import BatonTesting
import Testing

/// The fault-injecting model server, through the real providers: each fault maps to the right
/// error, right answers read back exactly, and the schedule depends only on the seed.
@Suite struct FaultInjectingModelServerTests {
    enum Format: String, CaseIterable, Sendable { case openAI, anthropic }

    static func provider(_ format: Format, _ server: FaultInjectingModelServer, _ http: ModelHTTPClient) -> any ModelProvider {
        switch format {
        case .openAI: return OpenAIChatProvider(name: "faulty", baseURL: server.openAIBaseURL, apiKey: testKey, http: http)
        case .anthropic: return AnthropicProvider(name: "faulty", baseURL: server.baseURL, apiKey: anthropicTestKey, http: http)
        }
    }

    /// Starts a server with `faults`, runs `body` with a client, and shuts both down.
    static func withServer<T>(
        seed: UInt64 = 1, faults: ModelFaultRates, answer: @escaping FaultInjectingModelServer.Answer = FaultInjectingModelServer.echo,
        _ body: (FaultInjectingModelServer, ModelHTTPClient) async throws -> T
    ) async throws -> T {
        let server = try await FaultInjectingModelServer.start(seed: seed, faults: faults, answer: answer)
        return try await withClient(stop: server.shutdown) { http in try await body(server, http) }
    }

    static func call(_ provider: any ModelProvider, stream: Bool, _ request: ModelRequest) async throws -> ModelResponse {
        stream ? try await collect(provider.stream(request)).response : try await provider.complete(request)
    }

    @Test(arguments: Format.allCases, [false, true])
    func everyFaultMapsToItsError(_ format: Format, _ stream: Bool) async throws {
        for fault in ModelFault.allCases {
            try await Self.withServer(faults: ModelFaultRates([fault: 1])) { server, http in
                let request = ModelRequest(model: "m", messages: [.user("Hello there, how are you today?")])
                let outcome: Result<ModelResponse, any Error>
                do {
                    outcome = .success(try await Self.call(Self.provider(format, server, http), stream: stream, request))
                } catch {
                    outcome = .failure(error)
                }
                let ok: Bool
                switch (fault, outcome) {
                case let (.slow, .success(response)): ok = response.text == "echo: Hello there, how are you today?"
                case let (.rateLimit, .failure(ModelError.rateLimited(_, retryAfter, _))): ok = retryAfter == .milliseconds(20)
                case let (.serverError, .failure(ModelError.server(_, status, _))): ok = status == 500
                case (.reset, .failure(ModelError.transport)): ok = true
                case (.cutStream, .failure(ModelError.malformedResponse)), (.malformed, .failure(ModelError.malformedResponse)): ok = true
                default: ok = false
                }
                #expect(ok, "\(format), stream \(stream): \(fault) gave \(outcome)")
                #expect(server.injections == [.init(number: 0, format: format == .openAI ? .openAI : .anthropic, stream: stream, fault: fault)])
            }
        }
    }

    @Test(arguments: Format.allCases, [false, true])
    func aScriptedAnswerWithToolCallsReadsBackExactly(_ format: Format, _ stream: Bool) async throws {
        let script: FaultInjectingModelServer.Answer = { request in
            if request.lastMessageIsToolResult {
                return ModelResponse(text: "The sum is \(request.lastMessageText).", usage: TokenUsage(input: 30, output: 6))
            }
            return ModelResponse(
                text: "Let me add.", toolCalls: [
                    ModelToolCall(id: "call_a", name: "add", arguments: #"{"a":2,"b":3}"#),
                    ModelToolCall(id: "call_b", name: "scale", arguments: #"{"factor":2,"values":[1,2.5]}"#),
                ], usage: TokenUsage(input: 20, output: 12)
            )
        }
        try await Self.withServer(faults: .none, answer: script) { server, http in
            let model = Self.provider(format, server, http)
            let first = try await Self.call(model, stream: stream, ModelRequest(model: "m", messages: [.user("Add 2 and 3")], tools: [weatherTool]))
            #expect(first.text == "Let me add.")
            #expect(first.toolCalls == [
                ModelToolCall(id: "call_a", name: "add", arguments: #"{"a":2,"b":3}"#),
                ModelToolCall(id: "call_b", name: "scale", arguments: #"{"factor":2,"values":[1,2.5]}"#),
            ])
            #expect(first.finishReason == .toolCalls)
            #expect(first.usage == TokenUsage(input: 20, output: 12))
            let conversation: [ChatMessage] = [
                .user("Add 2 and 3"), first.message, .tool("5", id: "call_a", name: "add"), .tool("[2,5]", id: "call_b", name: "scale"),
            ]
            let second = try await Self.call(model, stream: stream, ModelRequest(model: "m", messages: conversation))
            // The last message: the second tool result (OpenAI), or both results in one user message (Anthropic).
            #expect(second.text.hasPrefix("The sum is ") && second.text.hasSuffix("[2,5]."))
            #expect(second.finishReason == .stop)
            #expect(server.injections.allSatisfy { $0.fault == nil })
        }
    }

    @Test func theScheduleDependsOnlyOnTheSeedAndIsReported() async throws {
        let faults = ModelFaultRates.each(0.1, retryAfter: .milliseconds(1), delay: .milliseconds(1))
        let schedule = { (seed: UInt64) in (0..<300).map { FaultInjectingModelServer.scheduledFault(for: $0, seed: seed, faults: faults) } }
        #expect(schedule(42) == schedule(42))
        #expect(schedule(42) != schedule(43))
        let injected = schedule(42).compactMap { $0 }
        #expect(injected.count > 120 && injected.count < 240, "about 60% of 300 requests: \(injected.count)")
        #expect(Set(injected) == Set(ModelFault.allCases))

        try await Self.withServer(seed: 42, faults: faults) { server, http in
            let model = Self.provider(.openAI, server, http)
            var failures = 0
            for index in 0..<40 {
                do {
                    _ = try await model.complete(ModelRequest(model: "m", messages: [.user("request \(index)")]))
                } catch let error as ModelError {
                    #expect(error.isRetryable, "\(error)")
                    failures += 1
                }
            }
            #expect(server.injections.map(\.fault) == Array(schedule(42).prefix(40)))
            let failing = server.injections.filter { $0.fault != nil && $0.fault != .slow }.count
            #expect(failures == failing)
            #expect(server.injectedCounts.values.reduce(0, +) == server.injections.filter { $0.fault != nil }.count)
        }
    }
}
