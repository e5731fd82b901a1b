/// When a connection starts a server again after it died.
///
/// A server that dies (it exits, writes garbage, or an HTTP server forgets the session) fails the
/// calls in flight; the next call starts it again, after a backoff that doubles with each restart
/// in a row, up to ``maxRestarts`` restarts in a row. A call that succeeds resets the count.
public struct MCPRestartPolicy: Sendable, Hashable {
    /// Restarts in a row (without a successful call between them) before the connection gives up.
    public var maxRestarts: Int
    /// The wait before the first restart in a row.
    public var initialBackoff: Duration
    /// The longest wait between restarts.
    public var maxBackoff: Duration

    /// Creates a policy.
    public init(maxRestarts: Int, initialBackoff: Duration, maxBackoff: Duration) {
        self.maxRestarts = max(0, maxRestarts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = max(initialBackoff, maxBackoff)
    }

    /// Three restarts in a row, waiting 250 ms, then 500 ms, then 1 s (at most 10 s).
    public static let `default` = MCPRestartPolicy(maxRestarts: 3, initialBackoff: .milliseconds(250), maxBackoff: .seconds(10))

    /// Never restart: once the server dies, every call fails.
    public static let never = MCPRestartPolicy(maxRestarts: 0, initialBackoff: .zero, maxBackoff: .zero)

    /// The wait before restart number `attempt` in a row (1 for the first).
    public func backoff(beforeRestart attempt: Int) -> Duration {
        var delay = initialBackoff
        for _ in 1..<max(1, attempt) where delay < maxBackoff { delay *= 2 }
        return min(delay, maxBackoff)
    }
}
