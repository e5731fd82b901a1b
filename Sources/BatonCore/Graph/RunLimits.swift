/// Bounds on one run, so that nothing loops or fans out forever.
public struct RunLimits: Sendable, Hashable {
    /// Node executions in one run (elements of a `map` are not counted; see ``maxMapItems``).
    public var maxSteps: Int
    /// Elements of one `map` node.
    public var maxMapItems: Int
    /// Steps of one run that execute at once.
    public var maxConcurrency: Int

    public init(maxSteps: Int = 100, maxMapItems: Int = 100_000, maxConcurrency: Int = 64) {
        self.maxSteps = maxSteps
        self.maxMapItems = maxMapItems
        self.maxConcurrency = max(1, maxConcurrency)
    }

    public static let `default` = RunLimits()
}
