import MCP

/// A transport that a session can supervise: on top of the SDK's `Transport`, it trips the
/// ``Tripwire`` it was made with when it ends without being asked to (the process exited, a
/// session expired), and it keeps the server's last lines on standard error for error messages.
protocol MCPChannel: MCP.Transport {
    /// The last lines the server wrote to standard error (none for HTTP servers).
    var recentStderr: [String] { get async }
}
