/// What one task of a superstep produced, kept until its superstep completes, so that a resumed
/// run re-executes only the tasks that had not finished.
public struct StepResult: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        case completed
        case waiting
    }

    public var key: String
    public var node: String
    public var status: Status
    /// The node's output (for a map node: the list it fans out over).
    public var output: JSON
    /// The state writes, applied in branch order when the superstep completes.
    public var writes: [StateWrite]
    /// For a branch node: the targets it chose.
    public var routes: [String]?
    /// For a waiting task: what it waits for.
    public var waitingFor: WaitCondition?
    public var attempts: Int
    /// What the step spent (model and tool calls), added to the run's when its superstep ends.
    public var spent: Spending?
    /// What the run's budget limits are multiplied by after this step, when the step was granted
    /// an extension of the run's budget (`nil`: unchanged).
    public var budgetScale: Double?

    public init(
        key: String, node: String, status: Status, output: JSON = .null, writes: [StateWrite] = [], routes: [String]? = nil,
        waitingFor: WaitCondition? = nil, attempts: Int = 1, spent: Spending? = nil, budgetScale: Double? = nil
    ) {
        self.key = key
        self.node = node
        self.status = status
        self.output = output
        self.writes = writes
        self.routes = routes
        self.waitingFor = waitingFor
        self.attempts = attempts
        self.spent = spent
        self.budgetScale = budgetScale
    }
}

/// What a parked task waits for.
public struct WaitCondition: Sendable, Hashable, Codable {
    /// A signal's name.
    public var signal: String?
    /// Milliseconds since 1970 when the timer fires.
    public var deadline: Int64?
    /// A child run that has not finished.
    public var child: RunID?
    /// An approval request that no one has decided (``deadline`` is then its expiry).
    public var approval: String?

    public init(signal: String? = nil, deadline: Int64? = nil, child: RunID? = nil, approval: String? = nil) {
        self.signal = signal
        self.deadline = deadline
        self.child = child
        self.approval = approval
    }

    public var json: JSON {
        var members: [String: JSON] = [:]
        if let signal { members["signal"] = .string(signal) }
        if let deadline { members["deadline"] = .int(Int(deadline)) }
        if let child { members["child"] = .string(child.rawValue) }
        if let approval { members["approval"] = .string(approval) }
        return .object(members)
    }
}
