/// Why an agent's step failed.
public enum AgentError: Error, Sendable, Equatable, CustomStringConvertible, NodeErrorConvertible {
    /// No agent of this name is registered.
    case unknownAgent(String, known: [String])
    /// The agent's definition cannot run (a template that does not render, a hand-off to an agent
    /// that does not exist, a tool that is not registered).
    case invalidDefinition(agent: String, reason: String)
    /// A limit of ``AgentLimits`` was reached.
    case limitExceeded(agent: String, limit: String, detail: String)
    /// The final answer still failed the output schema after the repair attempts.
    case invalidOutput(agent: String, errors: [String])
    /// Every model the agent may use failed.
    case modelFailed(agent: String, error: ModelError)

    public var code: String {
        switch self {
        case .unknownAgent: return "unknown_agent"
        case .invalidDefinition: return "invalid_agent"
        case .limitExceeded: return "agent_limit_exceeded"
        case .invalidOutput: return "agent_invalid_output"
        case let .modelFailed(_, error): return error.code
        }
    }

    /// Whether the step may succeed when tried again: a model that failed might answer later, and
    /// an invalid answer might come out right; a limit or a broken definition will not change.
    public var retryable: Bool {
        switch self {
        case .unknownAgent, .invalidDefinition, .limitExceeded: return false
        case .invalidOutput: return true
        case let .modelFailed(_, error): return error.isRetryable
        }
    }

    public var description: String {
        switch self {
        case let .unknownAgent(name, known):
            return "no agent named '\(name)' is registered (registered: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
        case let .invalidDefinition(agent, reason):
            return "agent '\(agent)' cannot run: \(reason)"
        case let .limitExceeded(agent, limit, detail):
            return "agent '\(agent)' reached its limit of \(limit): \(detail)"
        case let .invalidOutput(agent, errors):
            return "agent '\(agent)' gave no answer that fits its output schema: \(errors.prefix(5).joined(separator: "; "))"
        case let .modelFailed(agent, error):
            return "agent '\(agent)' could not get an answer from its model: \(error)"
        }
    }

    public var nodeError: NodeError { NodeError(code: code, message: description, retryable: retryable) }
}
