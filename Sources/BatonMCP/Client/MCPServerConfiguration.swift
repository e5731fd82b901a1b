import Foundation

/// How to reach one MCP server, and how patient to be with it.
///
/// ```swift
/// let time = MCPServerConfiguration(name: "time", transport: .stdio(command: "mcp-server-time"))
/// let docs = MCPServerConfiguration(
///     name: "docs", transport: .http(url: endpoint, headers: ["Authorization": "Bearer \(token)"]),
///     callTimeout: .seconds(120))
/// ```
public struct MCPServerConfiguration: Sendable, Hashable {
    /// How the client talks to the server.
    public enum Transport: Sendable, Hashable {
        /// Start `command` as a child process and exchange newline-delimited JSON-RPC over its
        /// standard input and output. A command without a slash is looked up on `PATH`.
        /// `environment` is added to (and overrides) this process's environment; `workingDirectory`
        /// defaults to this process's.
        case stdio(command: String, arguments: [String] = [], environment: [String: String] = [:], workingDirectory: String? = nil)
        /// POST JSON-RPC to the server's MCP endpoint (the streamable HTTP transport), sending
        /// `headers` (credentials, say) with every request.
        case http(url: URL, headers: [String: String] = [:])
    }

    /// A name for the server, used in errors and events.
    public var name: String
    /// How the client talks to the server.
    public var transport: Transport
    /// How long the server may take to start and answer the initialize handshake.
    public var handshakeTimeout: Duration
    /// How long a request (`tools/list`, or a tool call without a timeout of its own) may take.
    public var callTimeout: Duration
    /// When a server that died is started again.
    public var restartPolicy: MCPRestartPolicy

    /// Creates a configuration.
    public init(name: String, transport: Transport, handshakeTimeout: Duration = .seconds(30), callTimeout: Duration = .seconds(60), restartPolicy: MCPRestartPolicy = .default) {
        self.name = name
        self.transport = transport
        self.handshakeTimeout = handshakeTimeout
        self.callTimeout = callTimeout
        self.restartPolicy = restartPolicy
    }

    /// Checks what can be checked before connecting.
    func validate() throws(MCPClientError) {
        switch transport {
        case let .stdio(command, _, _, _):
            if command.trimmingCharacters(in: .whitespaces).isEmpty {
                throw .invalidConfiguration(server: name, reason: "the stdio command is empty")
            }
        case let .http(url, _):
            guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
                throw .invalidConfiguration(server: name, reason: "'\(url.absoluteString)' is not an http or https URL")
            }
        }
        if handshakeTimeout <= .zero || callTimeout <= .zero {
            throw .invalidConfiguration(server: name, reason: "timeouts must be longer than zero")
        }
    }
}
