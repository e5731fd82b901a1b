/// How one node runs: retries, a timeout per attempt, a fallback node, and a success criterion.
public struct ExecutionPolicy: Sendable {
    public var retry: RetryPolicy
    /// The longest one attempt may take; `nil` for no limit.
    public var timeout: Duration?
    /// A node that runs in this node's place when every attempt has failed; its output continues
    /// along this node's outgoing edges.
    public var fallback: String?
    /// What the output must satisfy.
    public var success: SuccessCriterion?
    /// What one execution of the node may spend (its agents' model and tool calls), within the run's budget.
    public var budget: Budget?

    public init(retry: RetryPolicy = .none, timeout: Duration? = nil, fallback: String? = nil, success: SuccessCriterion? = nil, budget: Budget? = nil) {
        self.retry = retry
        self.timeout = timeout
        self.fallback = fallback
        self.success = success
        self.budget = budget
    }

    /// No retries, no timeout, no fallback, no criterion.
    public static let `default` = ExecutionPolicy()

    var structure: JSON {
        var members: [String: JSON] = ["max_attempts": .int(retry.maxAttempts)]
        if let timeout { members["timeout_ms"] = .int(Int(timeout.seconds * 1000)) }
        if let fallback { members["fallback"] = .string(fallback) }
        if let success { members["success"] = success.structure }
        if let budget { members["budget"] = budget.json }
        return .object(members)
    }
}
