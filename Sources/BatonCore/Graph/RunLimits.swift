/// Bounds on one run, so that nothing loops or fans out forever.
public struct RunLimits: Sendable, Hashable {
    /// Node executions in one run (elements of a `map` are not counted; see ``maxMapItems``).
    public var maxSteps: Int
    /// Elements of one `map` node.
    public var maxMapItems: Int
    /// Steps of one run that execute at once.
    public var maxConcurrency: Int
    /// What the whole run may spend: tokens, dollars, tool calls, wall time.
    public var budget: Budget
    /// How the run and its agents notice loops.
    public var loops: LoopDetection

    public init(
        maxSteps: Int = 100, maxMapItems: Int = 100_000, maxConcurrency: Int = 64, budget: Budget = .unlimited, loops: LoopDetection = .default
    ) {
        self.maxSteps = maxSteps
        self.maxMapItems = maxMapItems
        self.maxConcurrency = max(1, maxConcurrency)
        self.budget = budget
        self.loops = loops
    }

    public static let `default` = RunLimits()
}
