/// How a run ended, or where it stopped: what `engine.run` and `engine.resume` return.
public struct RunResult: Sendable, Hashable {
    public var id: RunID
    public var status: RunStatus
    /// The output of a succeeded run; the partial state of a run that exceeded a limit.
    public var output: JSON?
    /// Why the run failed, was cancelled or exceeded a limit.
    public var reason: String?
    /// What a waiting run waits for.
    public var waitingFor: [WaitCondition]

    public init(id: RunID, status: RunStatus, output: JSON? = nil, reason: String? = nil, waitingFor: [WaitCondition] = []) {
        self.id = id
        self.status = status
        self.output = output
        self.reason = reason
        self.waitingFor = waitingFor
    }

    init(_ record: RunRecord) {
        self.init(id: record.id, status: record.status, output: record.output, reason: record.reason, waitingFor: record.waitingFor)
    }

    /// The result as one JSON object: `{id, status, output, reason, waiting_for}`.
    public var json: JSON {
        var members: [String: JSON] = ["id": .string(id.rawValue), "status": .string(status.rawValue)]
        members["output"] = output ?? .null
        if let reason { members["reason"] = .string(reason) }
        if !waitingFor.isEmpty { members["waiting_for"] = .array(waitingFor.map(\.json)) }
        return .object(members)
    }
}

/// A request the engine refuses, saying what to do instead.
public enum EngineError: Error, Sendable, CustomStringConvertible {
    case invalidInput(String)
    case unknownWorkflow(String)
    case workflowNotLoadable(name: String, hash: String, reason: String)
    case runFinished(RunID, RunStatus)
    case invalidFork(String)

    public var description: String {
        switch self {
        case let .invalidInput(reason): return "invalid input: \(reason)"
        case let .unknownWorkflow(name): return "no workflow named '\(name)' is registered with the engine"
        case let .workflowNotLoadable(name, hash, reason):
            return "cannot load workflow '\(name)' (version \(hash.prefix(12))) to continue its run: \(reason)"
        case let .runFinished(id, status): return "run '\(id)' has already finished (\(status))"
        case let .invalidFork(reason): return "cannot fork: \(reason)"
        }
    }
}
