import BatonCore
@testable import BatonModels
import BatonTesting
import Foundation

/// The key every test provider is given: no error, description or recording may contain it.
let testKey = "sk-test-SECRET0123456789abcdefXYZ"
let anthropicTestKey = "sk-ant-api03-SECRETabcdefghij0123456789"

/// The files under `Fixtures/`: answers and event streams as the providers document them.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// The fixture as a JSON answer.
    static func json(_ name: String) throws -> [HTTPReplyStep] {
        HTTPReplyStep.json(try text(name))
    }

    /// The fixture as an event stream, sent in pieces of `piece` bytes so that events and lines
    /// are split across reads.
    static func eventStream(_ name: String, piece: Int = 37) throws -> [HTTPReplyStep] {
        let bytes = Array(try text(name).utf8)
        let pieces = stride(from: 0, to: bytes.count, by: piece).map { HTTPReplyStep.body(Array(bytes[$0..<min(bytes.count, $0 + piece)])) }
        return [HTTPReplyStep.eventStreamHead()] + pieces + [.end]
    }
}

/// Runs `body` with a local server answering with `handler` and a client with short timeouts;
/// shuts both down however `body` ends.
@discardableResult
func withModelServer<T>(
    read: Duration = .seconds(30), _ handler: @escaping LocalHTTPServer.Handler,
    _ body: (LocalHTTPServer, ModelHTTPClient) async throws -> T
) async throws -> T {
    let server = try await LocalHTTPServer.start(handler: handler)
    return try await withClient(read: read, stop: server.shutdown) { http in try await body(server, http) }
}

/// Runs `body` with a client whose reads time out after `read`, then shuts the client down and
/// calls `stop`, however `body` ends.
@discardableResult
func withClient<T>(read: Duration = .seconds(30), stop: () async -> Void, _ body: (ModelHTTPClient) async throws -> T) async throws -> T {
    let http = ModelHTTPClient(timeouts: .init(connect: .seconds(5), read: read))
    let result: Result<T, any Error>
    do {
        result = .success(try await body(http))
    } catch {
        result = .failure(error)
    }
    try await http.shutdown()
    await stop()
    return try result.get()
}

extension LocalHTTPServer {
    func openAI(_ http: ModelHTTPClient, maxTokensField: OpenAIChatProvider.MaxTokensField = .maxCompletionTokens) -> OpenAIChatProvider {
        OpenAIChatProvider(name: "openai", baseURL: url("/v1"), apiKey: testKey, maxTokensField: maxTokensField, http: http)
    }

    func anthropic(_ http: ModelHTTPClient) -> AnthropicProvider {
        AnthropicProvider(baseURL: baseURL, apiKey: anthropicTestKey, http: http)
    }

    /// The JSON body of the last request received.
    var lastBody: JSON? { requests.last?.json }
}

/// Reads a whole stream: its deltas, and the response they assemble into.
func collect(_ stream: AsyncThrowingStream<ModelDelta, any Error>) async throws -> (deltas: [ModelDelta], response: ModelResponse) {
    var deltas: [ModelDelta] = []
    var assembler = ModelStreamAssembler()
    for try await delta in stream {
        deltas.append(delta)
        assembler.add(delta)
    }
    return (deltas, assembler.response(latencyMilliseconds: 0))
}

/// A conversation with every kind of message: system, user, an assistant's two tool calls, their
/// two results, and the user again.
let toolConversation: [ChatMessage] = [
    .system("You are a weather assistant."),
    .user("Weather in Paris and Bogotá?"),
    .assistant("", toolCalls: [
        ModelToolCall(id: "call_1", name: "get_weather", arguments: #"{"location":"Paris"}"#),
        ModelToolCall(id: "call_2", name: "get_weather", arguments: #"{"location":"Bogotá"}"#),
    ]),
    .tool("18 °C, cloudy", id: "call_1", name: "get_weather"),
    .tool("22 °C, sunny", id: "call_2", name: "get_weather"),
    .user("And in Fahrenheit?"),
]

let weatherTool = ModelTool(
    name: "get_weather", description: "The current weather at a place.",
    parameters: ["type": "object", "properties": ["location": ["type": "string"]], "required": ["location"], "additionalProperties": false]
)
