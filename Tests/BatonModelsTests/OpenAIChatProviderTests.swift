import BatonCore
@testable import BatonModels
import BatonTesting
import Testing

/// The OpenAI Chat Completions provider on the answers and streams OpenAI documents.
@Suite struct OpenAIChatProviderTests {
    @Test func aTextAnswerIsReadWithItsUsageAndModel() async throws {
        try await withModelServer({ _ in (try? Fixture.json("openai-chat-text.json")) ?? [] }) { server, http in
            let response = try await server.openAI(http).complete(ModelRequest(model: "gpt-4.1", messages: [.user("Hello")]))
            #expect(response.text == "Hello! How can I assist you today?")
            #expect(response.toolCalls.isEmpty)
            #expect(response.finishReason == .stop)
            #expect(response.usage == TokenUsage(input: 19, output: 10, cached: 0))
            #expect(response.model == "gpt-4.1-2025-04-14")
            #expect(response.latencyMilliseconds >= 0)
        }
    }

    @Test func aToolCallKeepsItsArgumentsAsTheModelWroteThem() async throws {
        try await withModelServer({ _ in (try? Fixture.json("openai-chat-tool-call.json")) ?? [] }) { server, http in
            let response = try await server.openAI(http).complete(ModelRequest(model: "gpt-4o-mini", messages: [.user("Weather?")], tools: [weatherTool]))
            #expect(response.text == "")
            #expect(response.finishReason == .toolCalls)
            #expect(response.toolCalls == [ModelToolCall(id: "call_abc123", name: "get_current_weather", arguments: "{\n\"location\": \"Boston, MA\"\n}")])
            #expect(try response.toolCalls[0].parsedArguments() == ["location": "Boston, MA"])
        }
    }

    @Test func parallelToolCallsKeepTheirOrderAndCachedTokensAreCounted() async throws {
        try await withModelServer({ _ in (try? Fixture.json("openai-chat-parallel-tool-calls.json")) ?? [] }) { server, http in
            let response = try await server.openAI(http).complete(ModelRequest(model: "gpt-4.1-mini", messages: [.user("Weather?")], tools: [weatherTool]))
            #expect(response.toolCalls.map(\.id) == ["call_9CzQGzqTmtgGHn1I2WTgnmLE", "call_OXJ3D9KW4kQ4iFzgdnnDJxaE", "call_qUoRgg1u6PcLx3fEJJyJ1tE9"])
            #expect(response.toolCalls.map(\.name) == ["get_weather", "get_weather", "send_email"])
            #expect(try response.toolCalls[1].parsedArguments() == ["location": "Bogotá, Colombia"])
            #expect(response.usage == TokenUsage(input: 1432, output: 71, cached: 1280))
        }
    }

    @Test func aStreamAssemblesToolCallsFromFragmentsAndReadsTheFinalUsageChunk() async throws {
        try await withModelServer({ _ in (try? Fixture.eventStream("openai-chat-stream-tool-calls.txt")) ?? [] }) { server, http in
            let (deltas, response) = try await collect(server.openAI(http).stream(ModelRequest(model: "gpt-4.1-mini", messages: [.user("Weather?")], tools: [weatherTool])))
            #expect(deltas.first == .model("gpt-4.1-mini-2025-04-14"))
            #expect(response.toolCalls == [
                ModelToolCall(id: "call_DdmO9pD3xa9XTPNJ32zg2hcA", name: "get_weather", arguments: #"{"location": "Paris, France"}"#),
                ModelToolCall(id: "call_ihmT7v8aOvYhGQt3tmHvIOe7", name: "get_weather", arguments: #"{"location": "Bogotá, Colombia"}"#),
            ])
            #expect(response.finishReason == .toolCalls)
            #expect(response.usage == TokenUsage(input: 2104, output: 51, cached: 1920))
            let body = try #require(server.lastBody)
            #expect(body["stream"] == true)
            #expect(body["stream_options"] == ["include_usage": true])
            #expect(server.requests.last?.header("accept") == "text/event-stream")
        }
    }

    @Test func aTextStreamYieldsItsPiecesInOrder() async throws {
        try await withModelServer({ _ in (try? Fixture.eventStream("openai-chat-stream-text.txt", piece: 5)) ?? [] }) { server, http in
            let (deltas, response) = try await collect(server.openAI(http).stream(ModelRequest(model: "gpt-4o-mini", messages: [.user("Hi")])))
            #expect(deltas.compactMap { if case let .text(piece) = $0 { piece } else { nil } } == ["Hello", "!", " How can I help?"])
            #expect(response.text == "Hello! How can I help?")
            #expect(response.finishReason == .stop)
            #expect(response.usage == TokenUsage(input: 9, output: 6))
        }
    }

    @Test func theRequestCarriesEveryParameterAndTheConversation() async throws {
        try await withModelServer({ _ in (try? Fixture.json("openai-chat-text.json")) ?? [] }) { server, http in
            let request = ModelRequest(
                model: "gpt-4.1", messages: toolConversation, tools: [weatherTool], toolChoice: .tool("get_weather"),
                responseFormat: .jsonSchema(name: "weather report", schema: ["type": "object"], strict: true),
                temperature: 0.2, maxTokens: 300, stop: ["END"], seed: 7
            )
            _ = try await server.openAI(http).complete(request)
            let received = try #require(server.requests.last)
            #expect(received.method == "POST")
            #expect(received.path == "/v1/chat/completions")
            #expect(received.header("authorization") == "Bearer \(testKey)")
            let body = try #require(received.json)
            #expect(body["max_completion_tokens"] == 300)
            #expect(body["max_tokens"] == nil)
            #expect(body["temperature"] == 0.2)
            #expect(body["stop"] == ["END"])
            #expect(body["seed"] == 7)
            #expect(body["stream"] == nil)
            #expect(body["tool_choice"] == ["type": "function", "function": ["name": "get_weather"]])
            #expect(body["response_format"] == ["type": "json_schema", "json_schema": ["name": "weather_report", "schema": ["type": "object"], "strict": true]])
            #expect(body["tools"] == [["type": "function", "function": ["name": "get_weather", "description": "The current weather at a place.", "parameters": weatherTool.parameters]]])
            let messages = try #require(body["messages"]?.arrayValue)
            #expect(messages.map { $0["role"]?.stringValue } == ["system", "user", "assistant", "tool", "tool", "user"])
            #expect(messages[2]["content"] == .null)
            #expect(messages[2]["tool_calls"]?.arrayValue?[1] == ["id": "call_2", "type": "function", "function": ["name": "get_weather", "arguments": #"{"location":"Bogotá"}"#]])
            #expect(messages[4] == ["role": "tool", "content": "22 °C, sunny", "tool_call_id": "call_2"])
        }
    }

    @Test func compatibleServersGetMaxTokensAndNoKeyWhenNoneIsSet() async throws {
        try await withModelServer({ _ in (try? Fixture.json("openai-chat-text.json")) ?? [] }) { server, http in
            let local = OpenAIChatProvider(name: "ollama", baseURL: server.url("/v1/"), apiKey: nil, maxTokensField: .maxTokens, http: http)
            _ = try await local.complete(ModelRequest(model: "llama3.2", messages: [.user("Hi")], maxTokens: 50))
            #expect(server.lastBody?["max_tokens"] == 50)
            #expect(server.lastBody?["max_completion_tokens"] == nil)
            #expect(server.requests.last?.header("authorization") == nil)
            #expect(server.requests.last?.path == "/v1/chat/completions")
        }
    }

    @Test func aRefusalIsTheTextWithAContentFilterFinish() async throws {
        let body = #"{"id":"x","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]}"#
        try await withModelServer({ _ in HTTPReplyStep.json(body) }) { server, http in
            let response = try await server.openAI(http).complete(ModelRequest(model: "gpt-4o", messages: [.user("…")]))
            #expect(response.text == "I can't help with that.")
            #expect(response.finishReason == .contentFilter)
        }
    }

    @Test func anErrorChunkInAStreamIsTheErrorItNames() async throws {
        let stream = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: {\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}\n\n"
        try await withModelServer({ _ in [HTTPReplyStep.eventStreamHead(), .body(stream), .end] }) { server, http in
            await #expect {
                _ = try await collect(server.openAI(http).stream(ModelRequest(model: "gpt-4o", messages: [.user("Hi")])))
            } throws: { error in
                guard case .rateLimited? = error as? ModelError else { return false }
                return true
            }
        }
    }
}
