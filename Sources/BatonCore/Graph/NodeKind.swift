/// What a node does.
public enum NodeKind: Sendable {
    /// Runs a Swift closure. Its output is an object of state updates (or, with `into`, one value).
    case function(@Sendable (StepContext) async throws -> JSON)
    /// Assigns values to state paths: literals, copies of other paths, rendered templates.
    case set([Assignment])
    /// Calls a tool through the engine's ``ToolInvoker``.
    case tool(ToolCall)
    /// Runs an agent through the engine's ``AgentInvoker``.
    case agent(AgentCall)
    /// Picks the next node(s): the targets of the first case whose condition holds, else `otherwise`.
    case branch(Branch)
    /// Runs `node` once per element of the list at `over`, side by side, and writes each result to
    /// the state key `into` (through its reducer) in element order.
    case map(MapSpec)
    /// Parks the run until a signal arrives or a timer fires.
    case wait(WaitSpec)
    /// Runs another registered workflow as a child run and returns its output.
    case workflow(SubworkflowCall)
    /// Parks the run until a person who holds a role approves or rejects, or the request expires.
    case approval(ApprovalSpec)

    /// The kind's name as YAML spells it.
    public var name: String {
        switch self {
        case .function: return "function"
        case .set: return "set"
        case .tool: return "tool"
        case .agent: return "agent"
        case .branch: return "branch"
        case .map: return "map"
        case .wait: return "wait"
        case .workflow: return "workflow"
        case .approval: return "approval"
        }
    }
}

/// One assignment of a `set` node: `path` receives the value of `source`.
public struct Assignment: Sendable {
    public var path: StatePath
    public var source: ValueSource
    public init(_ path: StatePath, _ source: ValueSource) {
        self.path = path
        self.source = source
    }
}

/// A `tool` node: which tool, and how its arguments are built from the state.
public struct ToolCall: Sendable {
    public var tool: String
    public var arguments: [String: ValueSource]
    public init(tool: String, arguments: [String: ValueSource] = [:]) {
        self.tool = tool
        self.arguments = arguments
    }
}

/// An `agent` node: which agent, and how its input is built from the state.
public struct AgentCall: Sendable {
    public var agent: String
    public var input: [String: ValueSource]
    public init(agent: String, input: [String: ValueSource] = [:]) {
        self.agent = agent
        self.input = input
    }
}

/// A `branch` node's cases, tried in order.
public struct Branch: Sendable {
    public var cases: [(condition: Condition, targets: [String])]
    public var otherwise: [String]
    public init(cases: [(condition: Condition, targets: [String])], otherwise: [String] = []) {
        self.cases = cases
        self.otherwise = otherwise
    }
}

/// A `map` node: fan out over a list, then join.
public struct MapSpec: Sendable {
    /// The path of the list, e.g. `state.documents`.
    public var over: StatePath
    /// The node run for each element; it sees the element as `item` and its position as `index`.
    public var node: String
    /// The state key each result is written to, in element order, through the key's reducer.
    public var into: String
    /// At most this many elements run at once (`nil`: the engine's limit).
    public var maxConcurrency: Int?

    public init(over: StatePath, node: String, into: String, maxConcurrency: Int? = nil) {
        self.over = over
        self.node = node
        self.into = into
        self.maxConcurrency = maxConcurrency
    }
}

/// A `wait` node: a signal, a timer, or a signal with a deadline.
public struct WaitSpec: Sendable {
    /// The signal's name; `nil` waits only for the timer.
    public var signal: String?
    /// With a signal: how long to wait before giving up (the output is then `null`).
    /// Without: how long to sleep.
    public var timeout: Duration?

    public init(signal: String? = nil, timeout: Duration? = nil) {
        self.signal = signal
        self.timeout = timeout
    }
}

/// A `workflow` node: a child run of a registered workflow.
public struct SubworkflowCall: Sendable {
    public var workflow: String
    /// The child's input; `nil` passes the element inside a map, or else the whole state.
    public var input: [String: ValueSource]?
    public init(workflow: String, input: [String: ValueSource]? = nil) {
        self.workflow = workflow
        self.input = input
    }
}
