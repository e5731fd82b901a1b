/// Why a tool call did not produce a result. Every case is structured so that a model can repair
/// its call (``json``) and a workflow's retry policy can match on it (``code``).
public enum ToolError: Error, Sendable, Equatable, CustomStringConvertible, NodeErrorConvertible {
    /// No tool of this name is in the tool box.
    case unknownTool(String, known: [String])
    /// The arguments break the tool's input schema; the tool did not run.
    case invalidArguments(tool: String, errors: [SchemaValidationError])
    /// The tool's result breaks its output schema.
    case invalidOutput(tool: String, errors: [SchemaValidationError])
    /// One attempt took longer than the tool's timeout.
    case timedOut(tool: String, after: Duration)
    /// The tool failed too often recently; calls are refused until the cooldown ends.
    case circuitOpen(tool: String, retryAfter: Duration)
    /// The tool itself reported a failure.
    case failed(tool: String, code: String, message: String, retryable: Bool)
    /// The contract cannot be enforced as written (found when the tool is registered).
    case invalidContract(tool: String, reason: String)
    /// The call was cancelled.
    case cancelled(tool: String)

    /// A stable, machine-readable code.
    public var code: String {
        switch self {
        case .unknownTool: return "unknown_tool"
        case .invalidArguments: return "invalid_arguments"
        case .invalidOutput: return "invalid_output"
        case .timedOut: return "tool_timeout"
        case .circuitOpen: return "circuit_open"
        case let .failed(_, code, _, _): return code
        case .invalidContract: return "invalid_contract"
        case .cancelled: return "cancelled"
        }
    }

    /// The tool the error is about.
    public var tool: String {
        switch self {
        case let .unknownTool(name, _): return name
        case let .invalidArguments(tool, _), let .invalidOutput(tool, _), let .timedOut(tool, _), let .circuitOpen(tool, _),
            let .failed(tool, _, _, _), let .invalidContract(tool, _), let .cancelled(tool):
            return tool
        }
    }

    /// Whether calling again, unchanged, could succeed.
    public var retryable: Bool {
        switch self {
        case .timedOut: return true
        case let .failed(_, _, _, retryable): return retryable
        case .unknownTool, .invalidArguments, .invalidOutput, .circuitOpen, .invalidContract, .cancelled: return false
        }
    }

    /// What went wrong and what to do about it, in one paragraph.
    public var message: String {
        switch self {
        case let .unknownTool(name, known):
            let list = known.isEmpty ? "no tools are available" : "available tools: \(known.sorted().joined(separator: ", "))"
            return "there is no tool named '\(name)'; \(list)"
        case let .invalidArguments(tool, errors):
            return "the arguments for '\(tool)' do not match its input schema, so it was not called: "
                + errors.map(\.description).joined(separator: "; ") + ". Fix these arguments and call it again."
        case let .invalidOutput(tool, errors):
            return "'\(tool)' returned a result that does not match its output schema: " + errors.map(\.description).joined(separator: "; ")
        case let .timedOut(tool, after):
            return "'\(tool)' did not answer within \(Self.format(after))"
        case let .circuitOpen(tool, retryAfter):
            return "'\(tool)' failed repeatedly and is paused; it will be tried again in \(Self.format(retryAfter))"
        case let .failed(tool, _, message, _):
            return "'\(tool)' failed: \(message)"
        case let .invalidContract(tool, reason):
            return "the contract of tool '\(tool)' cannot be used: \(reason)"
        case let .cancelled(tool):
            return "the call to '\(tool)' was cancelled"
        }
    }

    public var description: String { "\(code): \(message)" }

    /// The error as a model sees it in a tool result: code, message and, for schema errors, each
    /// error's location, so that the model can repair the call.
    public var json: JSON {
        var members: [String: JSON] = ["error": .string(code), "tool": .string(tool), "message": .string(message)]
        switch self {
        case let .invalidArguments(_, errors), let .invalidOutput(_, errors):
            members["errors"] = .array(errors.map { ["path": .string($0.instancePath), "schema_path": .string($0.schemaPath), "message": .string($0.message)] })
        case let .circuitOpen(_, retryAfter):
            members["retry_after_ms"] = .int(Int(retryAfter.seconds * 1000))
        default:
            break
        }
        return .object(members)
    }

    public var nodeError: NodeError { NodeError(code: code, message: message, retryable: retryable) }

    private static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        return seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : "\((seconds * 10).rounded() / 10) s"
    }
}
