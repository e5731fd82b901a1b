import BatonCore

/// Writes a ``ModelResponse`` the way a provider sends it: a whole body, the events of a stream,
/// or an error body, in the OpenAI Chat Completions or the Anthropic Messages format.
enum ModelAnswerFormat {
    /// The whole JSON body of `answer` to request `number`.
    static func body(_ answer: ModelResponse, format: ModelServerRequest.Format, model: String, number: Int) -> JSON {
        switch format {
        case .openAI:
            var message: [String: JSON] = ["role": "assistant", "content": answer.text.isEmpty && !answer.toolCalls.isEmpty ? .null : .string(answer.text)]
            if !answer.toolCalls.isEmpty {
                message["tool_calls"] = .array(answer.toolCalls.map { call in
                    ["id": .string(call.id), "type": "function", "function": ["name": .string(call.name), "arguments": .string(call.arguments)]]
                })
            }
            return [
                "id": .string("chatcmpl-fault-\(number)"), "object": "chat.completion", "created": 1_700_000_000, "model": .string(model),
                "choices": [["index": 0, "message": .object(message), "finish_reason": .string(answer.finishReason.rawValue)]],
                "usage": openAIUsage(answer.usage),
            ]
        case .anthropic:
            var content: [JSON] = answer.text.isEmpty ? [] : [["type": "text", "text": .string(answer.text)]]
            for call in answer.toolCalls {
                content.append(["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": (try? call.parsedArguments()) ?? [:]])
            }
            return [
                "id": .string("msg_fault_\(number)"), "type": "message", "role": "assistant", "model": .string(model),
                "content": .array(content), "stop_reason": .string(anthropicStopReason(answer.finishReason)), "stop_sequence": nil,
                "usage": ["input_tokens": .int(answer.usage.input), "output_tokens": .int(answer.usage.output)],
            ]
        }
    }

    /// The server-sent events of `answer` streamed, each a complete `event:`/`data:` block.
    static func events(_ answer: ModelResponse, format: ModelServerRequest.Format, model: String, number: Int) -> [String] {
        switch format {
        case .openAI: return openAIEvents(answer, model: model, number: number)
        case .anthropic: return anthropicEvents(answer, model: model, number: number)
        }
    }

    /// An error body with `message`, as the provider writes one for HTTP `status`.
    static func errorBody(status: Int, message: String, format: ModelServerRequest.Format) -> JSON {
        switch format {
        case .openAI:
            let type = status == 429 ? "rate_limit_exceeded" : "server_error"
            return ["error": ["message": .string(message), "type": .string(type), "param": nil, "code": .string(type)]]
        case .anthropic:
            let type = status == 429 ? "rate_limit_error" : "api_error"
            return ["type": "error", "error": ["type": .string(type), "message": .string(message)]]
        }
    }

    private static func openAIEvents(_ answer: ModelResponse, model: String, number: Int) -> [String] {
        func chunk(_ delta: JSON, finish: JSON = nil) -> String {
            let json: JSON = [
                "id": .string("chatcmpl-fault-\(number)"), "object": "chat.completion.chunk", "created": 1_700_000_000, "model": .string(model),
                "choices": [["index": 0, "delta": delta, "finish_reason": finish]],
            ]
            return "data: \(json.canonicalString)\n\n"
        }
        var events = [chunk(["role": "assistant", "content": ""])]
        events += pieces(of: answer.text).map { chunk(["content": .string($0)]) }
        for (index, call) in answer.toolCalls.enumerated() {
            events.append(chunk(["tool_calls": [["index": .int(index), "id": .string(call.id), "type": "function", "function": ["name": .string(call.name), "arguments": ""]]]]))
            for piece in pieces(of: call.arguments) {
                events.append(chunk(["tool_calls": [["index": .int(index), "function": ["arguments": .string(piece)]]]]))
            }
        }
        events.append(chunk([:], finish: .string(answer.finishReason.rawValue)))
        let usage: JSON = [
            "id": .string("chatcmpl-fault-\(number)"), "object": "chat.completion.chunk", "created": 1_700_000_000, "model": .string(model),
            "choices": [], "usage": openAIUsage(answer.usage),
        ]
        events.append("data: \(usage.canonicalString)\n\n")
        events.append("data: [DONE]\n\n")
        return events
    }

    private static func anthropicEvents(_ answer: ModelResponse, model: String, number: Int) -> [String] {
        func event(_ json: JSON) -> String { "event: \(json["type"]?.stringValue ?? "message")\ndata: \(json.canonicalString)\n\n" }
        var events = [event([
            "type": "message_start",
            "message": [
                "id": .string("msg_fault_\(number)"), "type": "message", "role": "assistant", "model": .string(model), "content": [],
                "stop_reason": nil, "stop_sequence": nil, "usage": ["input_tokens": .int(answer.usage.input), "output_tokens": 1],
            ],
        ])]
        var index = 0
        if !answer.text.isEmpty {
            events.append(event(["type": "content_block_start", "index": .int(index), "content_block": ["type": "text", "text": ""]]))
            events.append(event(["type": "ping"]))
            for piece in pieces(of: answer.text) {
                events.append(event(["type": "content_block_delta", "index": .int(index), "delta": ["type": "text_delta", "text": .string(piece)]]))
            }
            events.append(event(["type": "content_block_stop", "index": .int(index)]))
            index += 1
        }
        for call in answer.toolCalls {
            events.append(event(["type": "content_block_start", "index": .int(index), "content_block": ["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": [:]]]))
            for piece in pieces(of: call.arguments) {
                events.append(event(["type": "content_block_delta", "index": .int(index), "delta": ["type": "input_json_delta", "partial_json": .string(piece)]]))
            }
            events.append(event(["type": "content_block_stop", "index": .int(index)]))
            index += 1
        }
        events.append(event([
            "type": "message_delta", "delta": ["stop_reason": .string(anthropicStopReason(answer.finishReason)), "stop_sequence": nil],
            "usage": ["output_tokens": .int(answer.usage.output)],
        ]))
        events.append(event(["type": "message_stop"]))
        return events
    }

    private static func openAIUsage(_ usage: TokenUsage) -> JSON {
        ["prompt_tokens": .int(usage.input), "completion_tokens": .int(usage.output), "total_tokens": .int(usage.total)]
    }

    private static func anthropicStopReason(_ reason: FinishReason) -> String {
        switch reason {
        case .length: return "max_tokens"
        case .toolCalls: return "tool_use"
        default: return "end_turn"
        }
    }

    /// `text` in pieces of up to 8 characters, as a stream sends it.
    static func pieces(of text: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(8)))
            rest = rest.dropFirst(8)
        }
        return pieces
    }
}
