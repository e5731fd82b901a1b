import BatonCore
import Foundation
import MCP

/// Offers a list of tools to MCP clients, over stdio or streamable HTTP, with the MCP SDK's `Server`
/// (protocol 2025-11-25 and the versions before it, `tools` capability).
///
/// ```swift
/// let server = MCPToolServer(name: "flows", version: "1", tools: [echo])
/// try await server.serveStdio()   // until the client closes standard input
/// ```
///
/// A handler that throws answers `isError: true` with the error's text; a call of an unknown tool
/// answers a JSON-RPC `invalidParams` error.
public struct MCPToolServer: Sendable {
    /// The server's name in the `initialize` handshake.
    public var name: String
    /// The server's version in the `initialize` handshake.
    public var version: String
    /// The tools offered, in the order `tools/list` gives them.
    public var tools: [MCPServedTool]

    /// A server named `name` that offers `tools`.
    public init(name: String, version: String, tools: [MCPServedTool]) {
        self.name = name
        self.version = version
        self.tools = tools
    }

    /// Serves one client on the process's standard input and output until standard input closes.
    /// Nothing else may write to standard output meanwhile.
    public func serveStdio() async throws {
        let server = makeServer()
        await register(on: server)
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
        await server.stop()
    }

    /// Serves streamable HTTP on `host:port` at `path` until the task is cancelled; `port` 0 picks
    /// a free port. `onListening` gets the bound port once the socket listens.
    ///
    /// - Throws: ``MCPToolServerError/cannotListen(host:port:reason:)`` when the address cannot be bound.
    public func serveHTTP(
        host: String = "127.0.0.1", port: Int = 0, path: String = "/mcp", onListening: @Sendable (Int) -> Void = { _ in }
    ) async throws {
        let sessions = MCPHTTPSessions(server: self)
        try await MCPHTTPListener(host: host, port: port, path: path).serve(onListening: onListening) { request in
            await sessions.handle(request)
        }
    }

    /// A fresh SDK server with this server's identity and tool handlers, not yet started.
    func makeServer() -> Server {
        Server(name: name, version: version, capabilities: .init(tools: .init(listChanged: false)))
    }

    /// Registers the `tools/list` and `tools/call` handlers on `server`.
    func register(on server: Server) async {
        let descriptors = tools.map { tool in
            Tool(name: tool.name, description: tool.description, inputSchema: Value(tool.inputSchema), outputSchema: tool.outputSchema.map(Value.init))
        }
        let handlers = Dictionary(tools.map { ($0.name, $0.handler) }, uniquingKeysWith: { first, _ in first })
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: descriptors) }
        await server.withMethodHandler(CallTool.self) { parameters in
            guard let handler = handlers[parameters.name] else {
                throw MCPError.invalidParams("unknown tool '\(parameters.name)'; tools/list gives the tools of this server")
            }
            let arguments = JSON.object((parameters.arguments ?? [:]).mapValues(JSON.init))
            let answer: MCPToolAnswer
            do {
                answer = try await handler(arguments)
            } catch {
                answer = .error("\(error)")
            }
            switch answer {
            case let .result(json):
                return CallTool.Result(content: [.text(text: json.canonicalString, annotations: nil, _meta: nil)], structuredContent: Value?.some(Value(json)), isError: false)
            case let .error(message):
                return CallTool.Result(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true)
            }
        }
    }
}
