/// Something an agent or a `tool` node can call: a Swift function, a tool of an MCP server, a
/// built-in. Implementations do the work; the ``ToolBox`` enforces the ``contract`` around every
/// call (argument and result validation, timeout, retries, fallback, circuit breaker,
/// concurrency limit, journaling), so an implementation never needs to.
public protocol Tool: Sendable {
    var contract: ToolContract { get }

    /// Performs one attempt with arguments that already passed the input schema. Throw a
    /// ``ToolError/failed(tool:code:message:retryable:)`` (or a ``NodeError``) to say whether a retry
    /// could help; any other error counts as retryable.
    func call(_ arguments: JSON, context: ToolContext) async throws -> JSON
}

/// What a tool sees of the call it is serving.
public struct ToolContext: Sendable {
    /// The tool's name.
    public let tool: String
    /// Stays the same across the attempts of one call and across a crash and resume of its step:
    /// pass it to the outside system (an `Idempotency-Key` header, a unique column) so that it can
    /// discard a second arrival.
    public let idempotencyKey: String
    /// 1 for the first attempt.
    public let attempt: Int
    /// The step the call belongs to, when it is made inside a run.
    public let step: StepContext?

    public init(tool: String, idempotencyKey: String, attempt: Int = 1, step: StepContext? = nil) {
        self.tool = tool
        self.idempotencyKey = idempotencyKey
        self.attempt = attempt
        self.step = step
    }
}
