import BatonCore

/// Reads a Chat Completions answer (`chat.completion`) into a ``ModelResponse``.
enum OpenAIChatResponse {
    static func response(_ json: JSON, provider: String, redactor: SecretRedactor, latencyMilliseconds: Int) throws(ModelError) -> ModelResponse {
        if let error = json["error"], error != .null { throw OpenAIChatStreamDecoder.error(error, provider: provider, redactor: redactor) }
        guard let choice = json["choices"]?.arrayValue?.first, let message = choice["message"], case .object = message else {
            throw ModelError.malformedResponse(provider: provider, excerpt: "an answer without choices[0].message: \(redactor.excerpt(json.canonicalString))")
        }
        var calls: [ModelToolCall] = []
        for (index, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
            guard let name = call["function"]?["name"]?.stringValue else {
                throw ModelError.malformedResponse(provider: provider, excerpt: "a tool call without a function name: \(redactor.excerpt(call.canonicalString))")
            }
            let arguments = call["function"]?["arguments"]
            calls.append(ModelToolCall(
                id: call["id"]?.stringValue ?? "call_\(index)", name: name,
                arguments: arguments?.stringValue ?? arguments.flatMap { $0 == .null ? nil : $0.canonicalString } ?? "{}"
            ))
        }
        var text = message["content"]?.stringValue ?? ""
        var finish = choice["finish_reason"]?.stringValue.map(FinishReason.init(openAI:))
        if text.isEmpty, calls.isEmpty, let refusal = message["refusal"]?.stringValue {
            text = refusal
            finish = .contentFilter
        }
        return ModelResponse(
            text: text, toolCalls: calls, finishReason: finish, usage: usage(json["usage"]) ?? .zero,
            model: json["model"]?.stringValue, latencyMilliseconds: latencyMilliseconds
        )
    }

    /// `prompt_tokens` (every prompt token), `completion_tokens`, and the cached part from
    /// `prompt_tokens_details.cached_tokens`; `nil` when absent.
    static func usage(_ json: JSON?) -> TokenUsage? {
        guard let json, case .object = json else { return nil }
        return TokenUsage(
            input: json["prompt_tokens"]?.intValue ?? 0, output: json["completion_tokens"]?.intValue ?? 0,
            cached: json["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0
        )
    }
}
