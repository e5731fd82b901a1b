/// Why talking to an MCP server failed. Each case names the server, says what happened and what
/// to do (``message``), and tells whether trying again, unchanged, could succeed (``retryable``).
///
/// A tool that fails in its own terms is not an error here: it returns an ``MCPToolResult`` with
/// `isError` set.
public enum MCPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The configuration cannot be used as written (an empty command, a URL that is not HTTP).
    case invalidConfiguration(server: String, reason: String)
    /// The server's process could not be started (the command was not found, say).
    case spawnFailed(server: String, command: String, reason: String)
    /// The server did not answer the initialize handshake in time; `stderr` holds its last lines.
    case handshakeTimeout(server: String, after: Duration, stderr: [String])
    /// The server answered the handshake, but not in a way the client can work with.
    case handshakeFailed(server: String, reason: String)
    /// The server's process ended; `stderr` holds its last lines.
    case serverExited(server: String, status: MCPExitStatus, stderr: [String])
    /// The server sent bytes that are not a JSON-RPC message, or a result of the wrong shape.
    case malformedMessage(server: String, reason: String, excerpt: String)
    /// A request got no answer in time; it was cancelled on the server.
    case callTimeout(server: String, method: String, after: Duration)
    /// The server answered a request with a JSON-RPC error (an unknown tool is `-32602`).
    case serverError(server: String, code: Int, message: String)
    /// An HTTP server answered with a status that is not a success; `body` is the start of its answer.
    case httpStatus(server: String, status: Int, body: String)
    /// An HTTP server could not be reached, or the connection broke before the answer.
    case connectionFailed(server: String, reason: String)
    /// An HTTP server no longer knows the session (it answered 404 to its id).
    case sessionExpired(server: String)
    /// The arguments of a tool call are not a JSON object.
    case invalidArguments(server: String, tool: String, reason: String)
    /// The server died and was restarted `restarts` times in a row; the connection gave up.
    indirect case restartLimitReached(server: String, restarts: Int, lastFailure: MCPClientError)
    /// The task that made the request was cancelled; the server was told with `notifications/cancelled`.
    case cancelled(server: String, method: String)
    /// The connection was shut down.
    case shutDown(server: String)

    /// The name of the server, as configured.
    public var server: String {
        switch self {
        case let .invalidConfiguration(server, _), let .spawnFailed(server, _, _), let .handshakeTimeout(server, _, _),
            let .handshakeFailed(server, _), let .serverExited(server, _, _), let .malformedMessage(server, _, _),
            let .callTimeout(server, _, _), let .serverError(server, _, _), let .httpStatus(server, _, _),
            let .connectionFailed(server, _), let .sessionExpired(server), let .invalidArguments(server, _, _),
            let .restartLimitReached(server, _, _), let .cancelled(server, _), let .shutDown(server):
            return server
        }
    }

    /// A stable, machine-readable code.
    public var code: String {
        switch self {
        case .invalidConfiguration: return "mcp_invalid_configuration"
        case .spawnFailed: return "mcp_spawn_failed"
        case .handshakeTimeout: return "mcp_handshake_timeout"
        case .handshakeFailed: return "mcp_handshake_failed"
        case .serverExited: return "mcp_server_exited"
        case .malformedMessage: return "mcp_malformed_message"
        case .callTimeout: return "mcp_call_timeout"
        case .serverError: return "mcp_server_error"
        case .httpStatus: return "mcp_http_status"
        case .connectionFailed: return "mcp_connection_failed"
        case .sessionExpired: return "mcp_session_expired"
        case .invalidArguments: return "mcp_invalid_arguments"
        case .restartLimitReached: return "mcp_restart_limit"
        case .cancelled: return "mcp_cancelled"
        case .shutDown: return "mcp_shut_down"
        }
    }

    /// Whether making the same request again could succeed (the server is restarted, the network
    /// recovers, a slow server catches up).
    public var retryable: Bool {
        switch self {
        case .handshakeTimeout, .serverExited, .malformedMessage, .callTimeout, .connectionFailed, .sessionExpired:
            return true
        case let .httpStatus(_, status, _):
            return status == 408 || status == 429 || status >= 500
        case let .serverError(_, code, _):
            return code == -32603 || (-32099 ... -32000).contains(code)
        case .invalidConfiguration, .spawnFailed, .handshakeFailed, .invalidArguments, .restartLimitReached, .cancelled, .shutDown:
            return false
        }
    }

    /// What happened and what to do about it.
    public var message: String {
        switch self {
        case let .invalidConfiguration(server, reason):
            return "MCP server '\(server)' is misconfigured: \(reason). Fix its configuration."
        case let .spawnFailed(server, command, reason):
            return "could not start MCP server '\(server)' with command '\(command)': \(reason). "
                + "Check that the command is installed and on PATH (or give its absolute path) and that the working directory exists."
        case let .handshakeTimeout(server, after, stderr):
            return "MCP server '\(server)' did not answer the initialize handshake within \(Self.format(after)). "
                + "Run its command by hand to see what it does (it may be waiting for input, still installing, or not an MCP server), or allow it a longer handshake timeout. "
                + Self.tail(stderr)
        case let .handshakeFailed(server, reason):
            return "MCP server '\(server)' failed the initialize handshake: \(reason). Check that it is an MCP server and that its version supports protocol 2025-11-25 or an earlier one this client knows."
        case let .serverExited(server, status, stderr):
            return "MCP server '\(server)' exited (\(status)). The next call starts it again; if it keeps exiting, fix the server or its configuration. "
                + Self.tail(stderr)
        case let .malformedMessage(server, reason, excerpt):
            return "MCP server '\(server)' sent something that is not a valid MCP message (\(reason)): '\(excerpt)'. "
                + "A stdio server must write only JSON-RPC messages to its standard output and its logs to standard error; fix the server or the wrapper that prints this."
        case let .callTimeout(server, method, after):
            return "MCP server '\(server)' did not answer '\(method)' within \(Self.format(after)); the request was cancelled on the server. Allow it a longer timeout if the work is slow, or check the server."
        case let .serverError(server, code, message):
            return "MCP server '\(server)' answered with an error: \(message) (JSON-RPC error \(code)). \(Self.advice(forCode: code))"
        case let .httpStatus(server, status, body):
            let answer = body.isEmpty ? "" : ": \(body)"
            return "MCP server '\(server)' answered HTTP \(status)\(answer). \(Self.advice(forStatus: status))"
        case let .connectionFailed(server, reason):
            return "could not talk to MCP server '\(server)': \(reason). Check that the server is running (for HTTP, that its URL is right)."
        case let .sessionExpired(server):
            return "MCP server '\(server)' no longer knows this session (HTTP 404); the next call starts a new session."
        case let .invalidArguments(server, tool, reason):
            return "the arguments for tool '\(tool)' of MCP server '\(server)' \(reason); pass a JSON object whose members are the tool's parameters."
        case let .restartLimitReached(server, restarts, lastFailure):
            return "MCP server '\(server)' failed \(restarts + 1) times in a row and was restarted \(restarts) times; the connection gave up. "
                + "Fix the server, then open a new connection. Last failure: \(lastFailure.message)"
        case let .cancelled(server, method):
            return "the request '\(method)' to MCP server '\(server)' was cancelled, and the server was told."
        case let .shutDown(server):
            return "the connection to MCP server '\(server)' is shut down; open a new connection to use the server again."
        }
    }

    /// The code and the message, as `code: message`.
    public var description: String { "\(code): \(message)" }

    private static func tail(_ stderr: [String]) -> String {
        stderr.isEmpty ? "It wrote nothing to standard error." : "Its last lines on standard error:\n  " + stderr.joined(separator: "\n  ")
    }

    private static func advice(forCode code: Int) -> String {
        switch code {
        case -32700, -32600: return "The server could not read the request; this client or the server has a bug."
        case -32601: return "The server does not offer this method."
        case -32602: return "Check the tool's name and arguments against the server's tool list."
        case -32603: return "The server failed internally; try again, or check its logs."
        default: return "See the server's documentation for this error."
        }
    }

    private static func advice(forStatus status: Int) -> String {
        switch status {
        case 400: return "The server refused the request as malformed; check that it speaks the streamable HTTP transport of MCP."
        case 401, 403: return "Check the credentials in the configured headers."
        case 404: return "Check the server's URL (the MCP endpoint, often ending in /mcp)."
        case 405: return "The URL does not accept MCP requests; check that it is the MCP endpoint."
        case 408, 429: return "The server is busy; try again later."
        case 500...: return "The server failed; try again later, or check its logs."
        default: return "Check the server's URL and configuration."
        }
    }

    private static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let total = Double(seconds) + Double(attoseconds) / 1e18
        return total < 1 ? "\(Int((total * 1000).rounded())) ms" : "\((total * 10).rounded() / 10) s"
    }
}
