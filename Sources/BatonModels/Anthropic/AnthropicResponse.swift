import BatonCore

/// Reads a Messages API answer (`"type": "message"`) into a ``ModelResponse``.
enum AnthropicResponse {
    static func response(
        _ json: JSON, provider: String, redactor: SecretRedactor, output: AnthropicStructuredOutput?, latencyMilliseconds: Int
    ) throws(ModelError) -> ModelResponse {
        if json["type"]?.stringValue == "error" || json["error"]?.objectValue != nil {
            throw error(json["error"] ?? json, provider: provider, redactor: redactor)
        }
        guard let content = json["content"]?.arrayValue else {
            throw ModelError.malformedResponse(provider: provider, excerpt: "an answer without content: \(redactor.excerpt(json.canonicalString))")
        }
        var text = ""
        var calls: [ModelToolCall] = []
        var answered = false
        for block in content {
            switch block["type"]?.stringValue {
            case "text"?:
                text += block["text"]?.stringValue ?? ""
            case "tool_use"?:
                guard let id = block["id"]?.stringValue, let name = block["name"]?.stringValue else {
                    throw ModelError.malformedResponse(provider: provider, excerpt: "a tool_use block without an id or a name: \(redactor.excerpt(block.canonicalString))")
                }
                let input = block["input"] ?? [:]
                if let output, name == output.toolName {
                    text = output.answer(fromInput: input)
                    answered = true
                } else {
                    calls.append(ModelToolCall(id: id, name: name, arguments: input.canonicalString))
                }
            default:
                break  // thinking and other blocks carry no answer
            }
        }
        var finish = json["stop_reason"]?.stringValue.map(FinishReason.init(anthropic:))
        if answered, calls.isEmpty { finish = .stop }
        return ModelResponse(
            text: text, toolCalls: calls, finishReason: finish, usage: usage(json["usage"]) ?? .zero,
            model: json["model"]?.stringValue, latencyMilliseconds: latencyMilliseconds
        )
    }

    /// Every prompt token (`input_tokens` plus the cache's read and written tokens), the output,
    /// and the part read from the cache; `nil` when absent.
    static func usage(_ json: JSON?) -> TokenUsage? {
        guard let json, case .object = json else { return nil }
        let cacheRead = json["cache_read_input_tokens"]?.intValue ?? 0
        let input = (json["input_tokens"]?.intValue ?? 0) + cacheRead + (json["cache_creation_input_tokens"]?.intValue ?? 0)
        return TokenUsage(input: input, output: json["output_tokens"]?.intValue ?? 0, cached: cacheRead)
    }

    /// The error of an `error` object (`{"type": "overloaded_error", "message": …}`), by the HTTP
    /// status Anthropic documents for its type.
    static func error(_ error: JSON, provider: String, redactor: SecretRedactor) -> ModelError {
        let status: Int
        switch error["type"]?.stringValue {
        case "invalid_request_error"?: status = 400
        case "authentication_error"?: status = 401
        case "permission_error"?: status = 403
        case "not_found_error"?: status = 404
        case "request_too_large"?: status = 413
        case "rate_limit_error"?: status = 429
        case "timeout_error"?: status = 504
        case "overloaded_error"?: status = 529
        default: status = 500
        }
        let message = redactor.excerpt(error["message"]?.stringValue ?? error.canonicalString)
        return ModelError.forStatus(status, provider: provider, message: message)
    }
}
