import BatonCore

/// The body of a Messages API request (`POST {base}/v1/messages`).
enum AnthropicRequest {
    static func body(_ request: ModelRequest, output: AnthropicStructuredOutput?, defaultMaxTokens: Int, stream: Bool) -> JSON {
        var body: [String: JSON] = [
            "model": .string(request.model),
            "max_tokens": .int(request.maxTokens ?? defaultMaxTokens),
            "messages": .array(messages(request.messages)),
        ]
        var system = request.messages.filter { $0.role == .system }.map(\.content).filter { !$0.isEmpty }
        if let output { system.append(output.instruction) }
        if !system.isEmpty { body["system"] = .string(system.joined(separator: "\n\n")) }
        var tools: [JSON] = request.tools.map { tool in
            ["name": .string(tool.name), "description": .string(tool.description), "input_schema": tool.parameters]
        }
        if let output {
            tools.append(output.tool)
            body["tool_choice"] = output.toolChoice(for: request.toolChoice, hasOtherTools: !request.tools.isEmpty)
        } else if let choice = request.toolChoice {
            body["tool_choice"] = toolChoice(choice)
        }
        if !tools.isEmpty { body["tools"] = .array(tools) }
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if !request.stop.isEmpty { body["stop_sequences"] = .array(request.stop.map(JSON.string)) }
        if stream { body["stream"] = true }
        return .object(body)
    }

    static func toolChoice(_ choice: ToolChoice) -> JSON {
        switch choice {
        case .auto: return ["type": "auto"]
        case .none: return ["type": "none"]
        case .required: return ["type": "any"]
        case let .tool(name): return ["type": "tool", "name": .string(name)]
        }
    }

    /// The conversation without its system messages, as alternating `user` and `assistant`
    /// messages of content blocks: tool results are `tool_result` blocks of a user message, and
    /// consecutive messages of one side (several tool results, a tool result and a user's text)
    /// share one message, tool results first as the API requires.
    static func messages(_ conversation: [ChatMessage]) -> [JSON] {
        var messages: [(role: String, blocks: [JSON])] = []
        for message in conversation where message.role != .system {
            let role = message.role == .assistant ? "assistant" : "user"
            let blocks = blocks(of: message)
            if let last = messages.last, last.role == role {
                messages[messages.count - 1].blocks += blocks
            } else {
                messages.append((role, blocks))
            }
        }
        return messages.map { message in
            let blocks = message.blocks.isEmpty ? [["type": "text", "text": "(empty)"] as JSON] : message.blocks
            return ["role": .string(message.role), "content": .array(blocks)]
        }
    }

    private static func blocks(of message: ChatMessage) -> [JSON] {
        switch message.role {
        case .system:
            return []
        case .tool:
            return [["type": "tool_result", "tool_use_id": .string(message.toolCallID ?? ""), "content": .string(message.content)]]
        case .user, .assistant:
            var blocks: [JSON] = message.content.isEmpty ? [] : [["type": "text", "text": .string(message.content)]]
            for call in message.toolCalls {
                // Anthropic takes the input as an object; arguments that are not one (a model's
                // broken JSON, answered with an error) are sent as an empty object.
                let input = (try? call.parsedArguments()).flatMap { $0.objectValue == nil ? nil : $0 } ?? [:]
                blocks.append(["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": input])
            }
            return blocks
        }
    }
}
