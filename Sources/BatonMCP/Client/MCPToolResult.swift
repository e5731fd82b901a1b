import BatonCore

/// What a tool call returned (`tools/call`).
///
/// A tool that fails in its own terms (bad arguments it checked itself, an API that said no)
/// returns a result with ``isError`` set and the reason in ``content``, for the model to read;
/// failures of the protocol or the server are ``MCPClientError``s instead.
public struct MCPToolResult: Sendable, Hashable {
    /// The content blocks, as the server sent them: objects with a `type` (`text`, `image`,
    /// `audio`, `resource_link`, `resource`) and that type's members.
    public var content: [JSON]
    /// The structured result, if the tool returned one (it matches the tool's output schema).
    public var structuredContent: JSON?
    /// Whether the tool reported a failure.
    public var isError: Bool

    /// Creates a result.
    public init(content: [JSON], structuredContent: JSON? = nil, isError: Bool = false) {
        self.content = content
        self.structuredContent = structuredContent
        self.isError = isError
    }

    /// The text of the `text` content blocks, joined with line feeds.
    public var text: String {
        content.compactMap { $0["type"] == "text" ? $0["text"]?.stringValue : nil }.joined(separator: "\n")
    }

    /// Reads the result of a `tools/call` request.
    init(called json: JSON) throws(JSONRPCMessage.DecodingError) {
        guard case let .array(content)? = json["content"] else {
            throw JSONRPCMessage.DecodingError(reason: "the tools/call result has no \"content\" array", excerpt: JSONRPCMessage.excerpt(json.canonicalString.utf8))
        }
        let structured = json["structuredContent"]
        self.init(content: content, structuredContent: structured == .null ? nil : structured, isError: json["isError"]?.boolValue ?? false)
    }
}
