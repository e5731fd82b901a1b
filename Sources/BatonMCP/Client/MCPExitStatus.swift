/// How a server process ended.
public enum MCPExitStatus: Sendable, Hashable, CustomStringConvertible {
    /// It exited with this code.
    case exited(Int32)
    /// A signal (by number: 9 is SIGKILL, 15 is SIGTERM) ended it.
    case signaled(Int32)

    /// `exit code <n>` or `signal <n>`.
    public var description: String {
        switch self {
        case let .exited(code): return "exit code \(code)"
        case let .signaled(signal): return "signal \(signal)"
        }
    }
}
