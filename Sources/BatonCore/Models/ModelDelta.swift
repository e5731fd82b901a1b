/// One piece of a streamed model response.
public enum ModelDelta: Sendable, Hashable {
    /// More answer text.
    case text(String)
    /// A piece of tool call number `index` (counted from 0 in the response): the first piece of a
    /// call names its `id` and `name`; every piece may add to its arguments' JSON text.
    case toolCall(index: Int, id: String?, name: String?, arguments: String)
    /// Why the model stopped.
    case finish(FinishReason)
    /// The tokens used (providers send it at the end; a later report replaces an earlier one).
    case usage(TokenUsage)
    /// The provider's name for the model that answers.
    case model(String)
}

/// Assembles a streamed response from its deltas: text in order, tool calls from their fragments.
public struct ModelStreamAssembler: Sendable {
    private var text = ""
    private var calls: [Int: (id: String, name: String, arguments: String)] = [:]
    private var finishReason: FinishReason?
    private var usage = TokenUsage.zero
    private var model: String?

    public init() {}

    public mutating func add(_ delta: ModelDelta) {
        switch delta {
        case let .text(piece): text += piece
        case let .toolCall(index, id, name, arguments):
            var call = calls[index] ?? (id: "", name: "", arguments: "")
            if let id, !id.isEmpty { call.id = id }
            if let name, !name.isEmpty, call.name.isEmpty { call.name = name }
            call.arguments += arguments
            calls[index] = call
        case let .finish(reason): finishReason = reason
        case let .usage(reported): usage = reported
        case let .model(name): model = name
        }
    }

    /// The response so far. A call that never received an id gets `call_INDEX`.
    public func response(latencyMilliseconds: Int) -> ModelResponse {
        let toolCalls = calls.keys.sorted().compactMap { index -> ModelToolCall? in
            guard let call = calls[index] else { return nil }
            return ModelToolCall(id: call.id.isEmpty ? "call_\(index)" : call.id, name: call.name, arguments: call.arguments)
        }
        return ModelResponse(
            text: text, toolCalls: toolCalls, finishReason: finishReason, usage: usage, model: model,
            latencyMilliseconds: latencyMilliseconds
        )
    }
}
