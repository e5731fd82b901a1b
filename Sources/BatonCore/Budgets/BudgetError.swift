/// A run, a step or an agent reached a limit of its budget: the run stops with status
/// `limit_exceeded`, its state so far and this reason.
public struct BudgetError: Error, Sendable, Hashable, CustomStringConvertible, NodeErrorConvertible {
    /// `run`, `step` or `agent NAME`.
    public var scope: String
    /// The limit reached: `max_tokens`, `max_cost_usd`, `max_tool_calls`, `max_wall_time`, …
    public var limit: String
    public var detail: String

    public init(scope: String, limit: String, detail: String) {
        self.scope = scope
        self.limit = limit
        self.detail = detail
    }

    public static let code = "budget_exceeded"

    public var description: String { "the \(scope)'s budget of \(limit) is spent: \(detail)" }

    public var nodeError: NodeError { NodeError(code: Self.code, message: description, retryable: false) }
}

extension NodeError {
    /// True for the errors that stop a run as `limit_exceeded` rather than `failed`: a budget or
    /// an agent's limit reached, a loop detected.
    var isLimit: Bool { [BudgetError.code, "agent_limit_exceeded", LoopError.code].contains(code) }
}
