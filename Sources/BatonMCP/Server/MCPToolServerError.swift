/// Why an ``MCPToolServer`` cannot serve.
public enum MCPToolServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP listener cannot bind its address: another process may hold the port, or the host
    /// is not an address of this machine. Pick another `--port` (0 picks a free one) or `--host`.
    case cannotListen(host: String, port: Int, reason: String)

    /// What happened and what to do.
    public var description: String {
        switch self {
        case let .cannotListen(host, port, reason):
            "cannot listen on \(host):\(port): \(reason); pick another port (0 picks a free one) or host"
        }
    }
}
