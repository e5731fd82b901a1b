import BatonCore

/// Turns the server-sent events of one provider's streamed answer into deltas.
protocol ModelStreamDecoder: Sendable {
    /// The deltas `event` carries. Throws the error a stream reports (an `error` event), or
    /// ``ModelError/malformedResponse(provider:excerpt:)`` for an event that cannot be read.
    mutating func decode(_ event: ServerSentEventParser.Event) throws(ModelError) -> [ModelDelta]

    /// Whether the provider said the answer is complete (`[DONE]`, `message_stop`). A stream that
    /// ends before that was cut short.
    var isComplete: Bool { get }
}
