import BatonCore

/// A model request as the ``FaultInjectingModelServer`` received it, for scripting its answer.
public struct ModelServerRequest: Sendable, Hashable {
    /// The API the request was made to.
    public enum Format: String, Sendable, Hashable {
        /// `POST /v1/chat/completions`.
        case openAI = "openai"
        /// `POST /v1/messages`.
        case anthropic
    }

    /// Which request of the server this is, counted from 0 in order of arrival.
    public var number: Int
    public var format: Format
    /// Whether the client asked for an event stream.
    public var stream: Bool
    /// The body as JSON.
    public var body: JSON

    /// The model the request names.
    public var model: String { body["model"]?.stringValue ?? "" }

    /// The messages of the conversation (Anthropic's system prompt is not among them).
    public var messages: [JSON] { body["messages"]?.arrayValue ?? [] }

    /// Whether the last message carries tool results (a `tool` message, or `tool_result` blocks).
    public var lastMessageIsToolResult: Bool {
        guard let last = messages.last else { return false }
        if last["role"]?.stringValue == "tool" { return true }
        return (last["content"]?.arrayValue ?? []).contains { $0["type"]?.stringValue == "tool_result" }
    }

    /// The text of the last message: its content, or its text and tool-result blocks joined.
    public var lastMessageText: String {
        guard let content = messages.last?["content"] else { return "" }
        if let text = content.stringValue { return text }
        return (content.arrayValue ?? []).compactMap { $0["text"]?.stringValue ?? $0["content"]?.stringValue }.joined(separator: "\n")
    }
}
