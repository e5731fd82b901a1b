import AsyncHTTPClient
import BatonCore
import Logging

/// A Claude model behind the Anthropic Messages API (`POST {baseURL}/v1/messages`).
///
/// System messages become the top-level `system`; tool calls and results are `tool_use` and
/// `tool_result` blocks (consecutive results share one user message); stop reasons map to
/// ``FinishReason`` (`end_turn` and `stop_sequence` → stop, `max_tokens` → length, `tool_use` →
/// tool calls). `max_tokens` is required by the API: a request without ``ModelRequest/maxTokens``
/// gets ``defaultMaxTokens``. The API has no seed: ``ModelRequest/seed`` is not sent.
///
/// Structured output is a forced answer tool (see `AnthropicStructuredOutput`): the answer comes
/// back as JSON text, like OpenAI's `response_format`.
///
/// The key goes only into the `x-api-key` header: it is redacted from every error, and the
/// provider's description and reflection leave it out.
public struct AnthropicProvider: ModelProvider, CustomStringConvertible, CustomReflectable {
    /// The `anthropic-version` header every request carries.
    public static let apiVersion = "2023-06-01"

    /// The provider's name in events and errors.
    public let name: String
    /// The API's base URL, without `/v1` and without a trailing slash.
    public let baseURL: String
    /// The `max_tokens` of a request that sets none.
    public let defaultMaxTokens: Int
    private let apiKey: String
    private let transport: ProviderTransport

    /// A provider named `name` at `baseURL`, sending `apiKey` as `x-api-key`.
    public init(
        name: String = "anthropic", baseURL: String = "https://api.anthropic.com", apiKey: String, defaultMaxTokens: Int = 4096,
        http: ModelHTTPClient, logger: Logger = Logger(label: "baton.models.anthropic", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.defaultMaxTokens = defaultMaxTokens
        self.apiKey = apiKey
        self.transport = ProviderTransport(provider: name, http: http, secrets: [apiKey], logger: logger)
    }

    public func complete(_ request: ModelRequest) async throws -> ModelResponse {
        let started = ContinuousClock.now
        let output = AnthropicStructuredOutput(request.responseFormat, tools: request.tools)
        let json = try await transport.send(httpRequest(request, output: output, stream: false))
        return try AnthropicResponse.response(
            json, provider: name, redactor: transport.redactor, output: output,
            latencyMilliseconds: (ContinuousClock.now - started).wholeMilliseconds
        )
    }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelDelta, any Error> {
        let output = AnthropicStructuredOutput(request.responseFormat, tools: request.tools)
        return transport.stream(
            httpRequest(request, output: output, stream: true),
            decoder: AnthropicStreamDecoder(provider: name, redactor: transport.redactor, output: output)
        )
    }

    private func httpRequest(_ request: ModelRequest, output: AnthropicStructuredOutput?, stream: Bool) -> HTTPClientRequest {
        transport.post(
            baseURL + "/v1/messages",
            headers: [
                ("accept", stream ? "text/event-stream" : "application/json"), ("x-api-key", apiKey),
                ("anthropic-version", Self.apiVersion),
            ],
            body: AnthropicRequest.body(request, output: output, defaultMaxTokens: defaultMaxTokens, stream: stream)
        )
    }

    public var description: String { "\(name) (Anthropic Messages at \(baseURL))" }

    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "baseURL": baseURL, "defaultMaxTokens": defaultMaxTokens], displayStyle: .struct)
    }
}
