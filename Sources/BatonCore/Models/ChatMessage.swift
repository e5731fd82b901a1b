/// Who wrote a message of a conversation with a model.
public enum ChatRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Instructions that frame the conversation (an agent's role and instructions).
    case system
    /// The person or program the model answers.
    case user
    /// The model: text, tool calls, or both.
    case assistant
    /// The result of one tool call, answering the assistant message that made it.
    case tool
}

/// One message of a conversation with a model.
///
/// An assistant message may carry ``toolCalls``; each is answered by a `tool` message whose
/// ``toolCallID`` names the call. Content is text: a structured answer is JSON text.
public struct ChatMessage: Sendable, Hashable {
    public var role: ChatRole
    /// The text (empty for an assistant message that only calls tools).
    public var content: String
    /// The tool calls of an assistant message, in the order the model made them.
    public var toolCalls: [ModelToolCall]
    /// For a `tool` message: the ``ModelToolCall/id`` it answers.
    public var toolCallID: String?
    /// For a `tool` message, the tool's name (some providers want it); for an assistant message,
    /// the agent that wrote it (a conversation handed from agent to agent says who said what).
    public var name: String?

    public init(role: ChatRole, content: String, toolCalls: [ModelToolCall] = [], toolCallID: String? = nil, name: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.name = name
    }

    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    public static func assistant(_ content: String, toolCalls: [ModelToolCall] = [], name: String? = nil) -> ChatMessage {
        ChatMessage(role: .assistant, content: content, toolCalls: toolCalls, name: name)
    }
    /// The answer to tool call `id` of tool `name`.
    public static func tool(_ content: String, id: String, name: String) -> ChatMessage {
        ChatMessage(role: .tool, content: content, toolCallID: id, name: name)
    }
}

extension ChatMessage {
    /// The message as events and journals record it: `role`, `content`, and when present
    /// `tool_calls`, `tool_call_id` and `name`.
    public var json: JSON {
        var members: [String: JSON] = ["role": .string(role.rawValue), "content": .string(content)]
        if !toolCalls.isEmpty { members["tool_calls"] = .array(toolCalls.map(\.json)) }
        if let toolCallID { members["tool_call_id"] = .string(toolCallID) }
        if let name { members["name"] = .string(name) }
        return .object(members)
    }

    /// Reads a message written by ``json``.
    public init(json: JSON) throws(ModelError) {
        guard let roleName = json["role"]?.stringValue, let role = ChatRole(rawValue: roleName) else {
            throw ModelError.malformedResponse(provider: "journal", excerpt: "a message without a known role: \(json.canonicalString.prefix(120))")
        }
        var calls: [ModelToolCall] = []
        for call in json["tool_calls"]?.arrayValue ?? [] { calls.append(try ModelToolCall(json: call)) }
        self.init(
            role: role, content: json["content"]?.stringValue ?? "", toolCalls: calls,
            toolCallID: json["tool_call_id"]?.stringValue, name: json["name"]?.stringValue
        )
    }
}
