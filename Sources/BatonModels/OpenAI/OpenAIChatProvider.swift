import AsyncHTTPClient
import BatonCore
import Logging

/// A model behind the OpenAI Chat Completions API (`POST {baseURL}/chat/completions`): OpenAI
/// itself, and every server that speaks it — vLLM, the llama.cpp server, Ollama's `/v1`,
/// LM Studio, OpenRouter — by base URL.
///
/// Streams are server-sent events with `stream_options.include_usage`, so that the last chunk
/// reports the tokens used; tool calls are assembled from their fragments by index. Structured
/// output is `response_format` with a `json_schema`. One attempt per call: a failure is a
/// ``ModelError`` (with `Retry-After` on a 429) and the agent loop decides whether to retry.
///
/// ```swift
/// let http = ModelHTTPClient()
/// let model = OpenAIChatProvider(apiKey: key, http: http)
/// let answer = try await model.complete(ModelRequest(model: "gpt-4.1-mini", messages: [.user("Hi")]))
/// ```
///
/// The key goes only into the `Authorization` header: it is redacted from every error, and the
/// provider's description and reflection leave it out.
public struct OpenAIChatProvider: ModelProvider, CustomStringConvertible, CustomReflectable {
    /// The request field that carries ``ModelRequest/maxTokens``.
    public enum MaxTokensField: String, Sendable, Hashable {
        /// `max_completion_tokens`: what OpenAI documents (its reasoning models refuse `max_tokens`).
        case maxCompletionTokens = "max_completion_tokens"
        /// `max_tokens`: what every compatible server understands (vLLM, llama.cpp, Ollama, LM
        /// Studio, OpenRouter).
        case maxTokens = "max_tokens"
    }

    /// The provider's name in events and errors (`openai`, `ollama`, `openrouter`, …).
    public let name: String
    /// The API's base URL, without a trailing slash, e.g. `https://api.openai.com/v1`.
    public let baseURL: String
    /// The field that carries the token limit.
    public let maxTokensField: MaxTokensField
    private let apiKey: String?
    private let transport: ProviderTransport

    /// A provider named `name` (for events and errors) at `baseURL`; `apiKey` is sent as a bearer
    /// token when given (local servers need none).
    public init(
        name: String = "openai", baseURL: String = "https://api.openai.com/v1", apiKey: String?,
        maxTokensField: MaxTokensField = .maxCompletionTokens, http: ModelHTTPClient,
        logger: Logger = Logger(label: "baton.models.openai", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.maxTokensField = maxTokensField
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.transport = ProviderTransport(provider: name, http: http, secrets: [apiKey].compactMap { $0 }, logger: logger)
    }

    public func complete(_ request: ModelRequest) async throws -> ModelResponse {
        let started = ContinuousClock.now
        let json = try await transport.send(httpRequest(request, stream: false))
        return try OpenAIChatResponse.response(
            json, provider: name, redactor: transport.redactor, latencyMilliseconds: (ContinuousClock.now - started).wholeMilliseconds
        )
    }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelDelta, any Error> {
        transport.stream(httpRequest(request, stream: true), decoder: OpenAIChatStreamDecoder(provider: name, redactor: transport.redactor))
    }

    private func httpRequest(_ request: ModelRequest, stream: Bool) -> HTTPClientRequest {
        var headers = [("accept", stream ? "text/event-stream" : "application/json")]
        if let apiKey { headers.append(("authorization", "Bearer \(apiKey)")) }
        return transport.post(baseURL + "/chat/completions", headers: headers, body: OpenAIChatRequest.body(request, maxTokensField: maxTokensField, stream: stream))
    }

    public var description: String { "\(name) (OpenAI Chat Completions at \(baseURL))" }

    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "baseURL": baseURL, "maxTokensField": maxTokensField], displayStyle: .struct)
    }
}
