import BatonCore

/// The body of a Chat Completions request (`POST {base}/chat/completions`), as OpenAI documents it
/// and compatible servers accept it.
enum OpenAIChatRequest {
    static func body(_ request: ModelRequest, maxTokensField: OpenAIChatProvider.MaxTokensField, stream: Bool) -> JSON {
        var body: [String: JSON] = [
            "model": .string(request.model),
            "messages": .array(request.messages.map(message)),
        ]
        if !request.tools.isEmpty {
            body["tools"] = .array(request.tools.map { tool in
                ["type": "function", "function": ["name": .string(tool.name), "description": .string(tool.description), "parameters": tool.parameters]]
            })
        }
        if let choice = request.toolChoice { body["tool_choice"] = toolChoice(choice) }
        if let format = request.responseFormat { body["response_format"] = responseFormat(format) }
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let maxTokens = request.maxTokens { body[maxTokensField.rawValue] = .int(maxTokens) }
        if !request.stop.isEmpty { body["stop"] = .array(request.stop.map(JSON.string)) }
        if let seed = request.seed { body["seed"] = .int(seed) }
        if stream {
            body["stream"] = true
            body["stream_options"] = ["include_usage": true]
        }
        return .object(body)
    }

    static func message(_ message: ChatMessage) -> JSON {
        switch message.role {
        case .system, .user:
            return ["role": .string(message.role.rawValue), "content": .string(message.content)]
        case .assistant:
            var members: [String: JSON] = ["role": "assistant"]
            members["content"] = message.content.isEmpty && !message.toolCalls.isEmpty ? .null : .string(message.content)
            if !message.toolCalls.isEmpty {
                members["tool_calls"] = .array(message.toolCalls.map { call in
                    ["id": .string(call.id), "type": "function", "function": ["name": .string(call.name), "arguments": .string(call.arguments)]]
                })
            }
            return .object(members)
        case .tool:
            return ["role": "tool", "content": .string(message.content), "tool_call_id": .string(message.toolCallID ?? "")]
        }
    }

    static func toolChoice(_ choice: ToolChoice) -> JSON {
        switch choice {
        case .auto: return "auto"
        case .none: return "none"
        case .required: return "required"
        case let .tool(name): return ["type": "function", "function": ["name": .string(name)]]
        }
    }

    static func responseFormat(_ format: ResponseFormat) -> JSON {
        switch format {
        case .text: return ["type": "text"]
        case .jsonObject: return ["type": "json_object"]
        case let .jsonSchema(name, schema, strict):
            return ["type": "json_schema", "json_schema": ["name": .string(ToolName.sanitized(name)), "schema": schema, "strict": .bool(strict)]]
        }
    }
}
