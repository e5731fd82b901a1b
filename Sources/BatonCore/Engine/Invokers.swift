/// The seam through which `tool` nodes call tools. The tools issue provides the implementation
/// (typed tools, MCP servers, contracts); until one is configured, a `tool` node fails with
/// ``NodeError`` code `no_tool_provider`.
public protocol ToolInvoker: Sendable {
    /// Calls `tool` with `arguments`. Side effects must go through `context.effect`.
    func callTool(_ tool: String, arguments: JSON, context: StepContext) async throws -> JSON
    /// Whether a tool of this name exists, for load-time checks.
    func hasTool(_ tool: String) -> Bool
    /// The names of the tools, for messages that list them.
    var toolNames: [String] { get }
}

/// The seam through which `agent` nodes run agents. The agents issue provides the implementation;
/// until one is configured, an `agent` node fails with ``NodeError`` code `no_agent_provider`.
public protocol AgentInvoker: Sendable {
    /// Runs `agent` on `input` and returns its final answer, or the wait (an approval) it parked on.
    func runAgent(_ agent: String, input: JSON, context: StepContext) async throws -> StepOutcome
    func hasAgent(_ agent: String) -> Bool
}
