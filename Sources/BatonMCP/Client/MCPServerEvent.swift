/// Something that happened to a server connection, reported to the handler given to
/// ``MCPServerConnection/init(_:onEvent:)``. Handlers run on the connection's tasks: return quickly.
public enum MCPServerEvent: Sendable, Equatable {
    /// The server answered the handshake; `restart` is 0 for the first start, then counts restarts in a row.
    case started(MCPServerInfo, restart: Int)
    /// One line the server wrote to its standard error (stdio servers only), without its line break.
    case stderr(String)
    /// The server died or the session ended without being asked to; the calls in flight failed
    /// with this error and the next call restarts it, if the restart policy allows.
    case stopped(MCPClientError)
    /// The server is about to be started again, after waiting `after`.
    case restarting(attempt: Int, after: Duration)
    /// The server said its tools changed (`notifications/tools/list_changed`); here they are, listed again.
    case toolsChanged([MCPToolDescriptor])
}
