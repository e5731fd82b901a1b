/// A source of model answers: a provider's API (OpenAI-compatible, Anthropic), a scripted model in
/// tests and examples, a recorded cassette.
///
/// Failures are ``ModelError``s (cancellation stays `CancellationError`). A provider makes one
/// attempt per call: the agent loop retries, honours `Retry-After`, falls back to the next model
/// of a router, and records each attempt as an event.
public protocol ModelProvider: Sendable {
    /// A short name for events and errors: `openai`, `anthropic`, `scripted`.
    var name: String { get }

    /// Sends `request` and returns the whole response.
    func complete(_ request: ModelRequest) async throws -> ModelResponse

    /// Sends `request` and yields the response as it is generated. ``ModelStreamAssembler`` turns
    /// the deltas back into a response.
    func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelDelta, any Error>
}

extension ModelProvider {
    /// A provider without streaming yields its whole response as deltas.
    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelDelta, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let response = try await complete(request)
                    if let model = response.model { continuation.yield(.model(model)) }
                    if !response.text.isEmpty { continuation.yield(.text(response.text)) }
                    for (index, call) in response.toolCalls.enumerated() {
                        continuation.yield(.toolCall(index: index, id: call.id, name: call.name, arguments: call.arguments))
                    }
                    continuation.yield(.usage(response.usage))
                    continuation.yield(.finish(response.finishReason))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
