import BatonCore
@testable import BatonModels
import BatonTesting
import Testing

/// The Anthropic Messages provider on the answers and event streams Anthropic documents.
@Suite struct AnthropicProviderTests {
    @Test func aMessageWithTextAndToolUseIsRead() async throws {
        try await withModelServer({ _ in (try? Fixture.json("anthropic-message-tool-use.json")) ?? [] }) { server, http in
            let response = try await server.anthropic(http).complete(ModelRequest(model: "claude-sonnet-4-5", messages: [.user("Weather?")], tools: [weatherTool]))
            #expect(response.text == "I'll check the current weather in San Francisco for you.")
            #expect(response.toolCalls.count == 1)
            #expect(response.toolCalls.first?.id == "toolu_01A09q90qw90lq917835lq9")
            #expect(try response.toolCalls.first?.parsedArguments() == ["location": "San Francisco, CA", "unit": "celsius"])
            #expect(response.finishReason == .toolCalls)
            // input counts every prompt token: 494 new + 100 written to the cache + 2048 read from it.
            #expect(response.usage == TokenUsage(input: 2642, output: 89, cached: 2048))
            #expect(response.model == "claude-sonnet-4-5-20250929")
        }
    }

    @Test func theFullEventStreamAssemblesTextAndAToolCall() async throws {
        try await withModelServer({ _ in (try? Fixture.eventStream("anthropic-stream-tool-use.txt", piece: 23)) ?? [] }) { server, http in
            let (deltas, response) = try await collect(server.anthropic(http).stream(ModelRequest(model: "claude-sonnet-4-5", messages: [.user("Weather?")], tools: [weatherTool])))
            #expect(deltas.first == .model("claude-sonnet-4-5-20250929"))
            #expect(response.text == "Okay, let's check the weather for San Francisco, CA:")
            #expect(response.toolCalls == [ModelToolCall(id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "get_weather", arguments: #"{"location": "San Francisco, CA", "unit": "fahrenheit"}"#)])
            #expect(response.finishReason == .toolCalls)
            #expect(response.usage == TokenUsage(input: 600, output: 89, cached: 128))
            #expect(server.lastBody?["stream"] == true)
        }
    }

    @Test func theRequestHasTheSystemPromptToolsAndToolResultsInOneUserMessage() async throws {
        try await withModelServer({ _ in (try? Fixture.json("anthropic-message-tool-use.json")) ?? [] }) { server, http in
            let request = ModelRequest(
                model: "claude-sonnet-4-5", messages: toolConversation, tools: [weatherTool], toolChoice: .required, temperature: 0.5,
                stop: ["END"], seed: 3
            )
            _ = try await server.anthropic(http).complete(request)
            let received = try #require(server.requests.last)
            #expect(received.path == "/v1/messages")
            #expect(received.header("x-api-key") == anthropicTestKey)
            #expect(received.header("anthropic-version") == "2023-06-01")
            #expect(received.header("authorization") == nil)
            let body = try #require(received.json)
            #expect(body["system"] == "You are a weather assistant.")
            #expect(body["max_tokens"] == 4096)
            #expect(body["temperature"] == 0.5)
            #expect(body["stop_sequences"] == ["END"])
            #expect(body["seed"] == nil)
            #expect(body["tool_choice"] == ["type": "any"])
            #expect(body["tools"] == [["name": "get_weather", "description": "The current weather at a place.", "input_schema": weatherTool.parameters]])
            let messages = try #require(body["messages"]?.arrayValue)
            #expect(messages.map { $0["role"]?.stringValue } == ["user", "assistant", "user"])
            let calls: JSON = [
                ["type": "tool_use", "id": "call_1", "name": "get_weather", "input": ["location": "Paris"]],
                ["type": "tool_use", "id": "call_2", "name": "get_weather", "input": ["location": "Bogotá"]],
            ]
            #expect(messages[1]["content"] == calls)
            let results: JSON = [
                ["type": "tool_result", "tool_use_id": "call_1", "content": "18 °C, cloudy"],
                ["type": "tool_result", "tool_use_id": "call_2", "content": "22 °C, sunny"],
                ["type": "text", "text": "And in Fahrenheit?"],
            ]
            #expect(messages[2]["content"] == results)
        }
    }

    static let toolChoices: [(ToolChoice, JSON)] = [
        (.auto, ["type": "auto"]), (.none, ["type": "none"]), (.required, ["type": "any"]),
        (.tool("get_weather"), ["type": "tool", "name": "get_weather"]),
    ]

    @Test(arguments: toolChoices)
    func toolChoicesMapToAnthropics(_ choice: ToolChoice, _ expected: JSON) {
        let body = AnthropicRequest.body(
            ModelRequest(model: "m", messages: [.user("x")], tools: [weatherTool], toolChoice: choice, maxTokens: 10),
            output: nil, defaultMaxTokens: 4096, stream: false
        )
        #expect(body["tool_choice"] == expected)
        #expect(body["max_tokens"] == 10)
    }

    static let parisReport: JSON = ["city": "Paris", "celsius": 18]
    static let reportSchema: JSON = ["type": "object", "properties": ["city": ["type": "string"], "celsius": ["type": "number"]], "required": ["city", "celsius"]]

    @Test func structuredOutputIsAForcedToolWhoseInputBecomesTheText() async throws {
        let answer = #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[{"type":"tool_use","id":"toolu_1","name":"weather_report","input":{"city":"Paris","celsius":18}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":50,"output_tokens":20}}"#
        try await withModelServer({ _ in HTTPReplyStep.json(answer) }) { server, http in
            let request = ModelRequest(
                model: "claude-haiku-4-5", messages: [.system("Be brief."), .user("Paris?")],
                responseFormat: .jsonSchema(name: "weather report", schema: Self.reportSchema, strict: true)
            )
            let response = try await server.anthropic(http).complete(request)
            #expect(try JSON(parsing: response.text) == Self.parisReport)
            #expect(response.toolCalls.isEmpty)
            #expect(response.finishReason == .stop)
            let body = try #require(server.lastBody)
            #expect(body["tool_choice"] == ["type": "tool", "name": "weather_report"])
            #expect(body["tools"]?.arrayValue?[0]["input_schema"] == Self.reportSchema)
            #expect(body["system"]?.stringValue?.hasPrefix("Be brief.\n\nGive your final answer by calling the tool `weather_report`") == true)
        }
    }

    @Test func structuredOutputWithOtherToolsLetsTheModelCallThemFirst() {
        let request = ModelRequest(
            model: "m", messages: [.user("x")], tools: [weatherTool],
            responseFormat: .jsonSchema(name: "get_weather", schema: ["type": "array", "items": ["type": "string"]], strict: false)
        )
        let output = AnthropicStructuredOutput(request.responseFormat, tools: request.tools)
        let body = AnthropicRequest.body(request, output: output, defaultMaxTokens: 4096, stream: false)
        #expect(body["tool_choice"] == ["type": "any"])
        // The answer tool may not take an offered tool's name; a schema that is not an object is wrapped.
        #expect(body["tools"]?.arrayValue?[1]["name"] == "get_weather_answer")
        #expect(body["tools"]?.arrayValue?[1]["input_schema"] == ["type": "object", "properties": ["answer": ["type": "array", "items": ["type": "string"]]], "required": ["answer"]])
        #expect(output?.answer(fromInput: ["answer": ["a", "b"]]) == #"["a","b"]"#)
    }

    @Test func aStreamedStructuredAnswerArrivesAsText() async throws {
        let events = [
            #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":40,"output_tokens":1}}}"#,
            #"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"weather_report","input":{}}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Par"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"is\", \"celsius\": 18}"}}"#,
            #"{"type":"content_block_stop","index":0}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":15}}"#,
            #"{"type":"message_stop"}"#,
        ].map { "data: \($0)\n\n" }.joined()
        try await withModelServer({ _ in [HTTPReplyStep.eventStreamHead(), .body(events), .end] }) { server, http in
            let request = ModelRequest(model: "claude-haiku-4-5", messages: [.user("Paris?")], responseFormat: .jsonSchema(name: "weather_report", schema: Self.reportSchema, strict: true))
            let (_, response) = try await collect(server.anthropic(http).stream(request))
            #expect(try JSON(parsing: response.text) == Self.parisReport)
            #expect(response.toolCalls.isEmpty)
            #expect(response.finishReason == .stop)
            #expect(response.usage == TokenUsage(input: 40, output: 15))
        }
    }

    @Test func anErrorEventEndsTheStreamWithTheErrorItNames() async throws {
        let stream = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude\",\"usage\":{\"input_tokens\":1}}}\n\nevent: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n"
        try await withModelServer({ _ in [HTTPReplyStep.eventStreamHead(), .body(stream), .end] }) { server, http in
            await #expect(throws: ModelError.server(provider: "anthropic", status: 529, message: "Overloaded")) {
                _ = try await collect(server.anthropic(http).stream(ModelRequest(model: "claude", messages: [.user("Hi")])))
            }
        }
    }

    @Test(arguments: [("end_turn", FinishReason.stop), ("stop_sequence", .stop), ("max_tokens", .length), ("tool_use", .toolCalls), ("pause_turn", "pause_turn")])
    func stopReasonsMapToFinishReasons(_ reason: String, _ expected: FinishReason) {
        #expect(FinishReason(anthropic: reason) == expected)
    }
}
