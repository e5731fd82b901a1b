/// An MCP server a workflow file declares in its `mcp_servers:` section. Its tools are called
/// `SERVER.TOOL` (`time.get_current_time`).
public struct MCPServerDeclaration: Sendable, Equatable {
    public enum Transport: Sendable, Equatable {
        /// A process spawned by Baton, speaking over its standard input and output.
        case stdio(command: String, arguments: [String], environment: [String: String], workingDirectory: String?)
        /// A server reached over streamable HTTP.
        case http(url: String, headers: [String: String])
    }

    public var name: String
    public var transport: Transport
    /// How long one call may take; `nil` for the default.
    public var timeout: Duration?

    public init(name: String, transport: Transport, timeout: Duration? = nil) {
        self.name = name
        self.transport = transport
        self.timeout = timeout
    }
}
