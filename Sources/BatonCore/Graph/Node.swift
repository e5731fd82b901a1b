/// One node of a workflow graph: what it does, how it runs, and where its output goes.
public struct Node: Sendable {
    /// The default bound on how often one node may run in one run.
    public static let defaultMaxVisits = 25

    /// A node's members, kept in one immutable object: the engine looks a node up for every step,
    /// and a copy then costs one reference instead of one per member. Setting a member replaces it.
    private final class Storage: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private struct Fields: Sendable {
        var id: String
        var kind: NodeKind
        var policy: ExecutionPolicy
        var maxVisits: Int
        var into: String?
        var summary: String?
    }

    private var storage: Storage

    public var id: String {
        get { storage.fields.id }
        set { update { $0.id = newValue } }
    }
    // Read in place (`_read`), not copied: the engine reads a member of each (`policy.timeout`,
    // the kind's case) for every step, and a copy of either (338 and 162 bytes, with their
    // references) cost more than the read.
    public var kind: NodeKind {
        _read { yield storage.fields.kind }
        set { update { $0.kind = newValue } }
    }
    public var policy: ExecutionPolicy {
        _read { yield storage.fields.policy }
        set { update { $0.policy = newValue } }
    }
    /// How many times this node may be scheduled in one run; one more ends the run as limit-exceeded.
    public var maxVisits: Int {
        get { storage.fields.maxVisits }
        set { update { $0.maxVisits = newValue } }
    }
    /// When set, the node's whole output is written to this state key; otherwise the output must
    /// be an object whose members are state updates.
    public var into: String? {
        get { storage.fields.into }
        set { update { $0.into = newValue } }
    }
    public var summary: String? {
        get { storage.fields.summary }
        set { update { $0.summary = newValue } }
    }

    public init(
        _ id: String, _ kind: NodeKind, policy: ExecutionPolicy = .default, maxVisits: Int = Node.defaultMaxVisits,
        into: String? = nil, summary: String? = nil
    ) {
        storage = Storage(Fields(id: id, kind: kind, policy: policy, maxVisits: maxVisits, into: into, summary: summary))
    }

    private mutating func update(_ change: (inout Fields) -> Void) {
        var fields = storage.fields
        change(&fields)
        storage = Storage(fields)
    }

    /// A function node.
    public static func function(
        _ id: String, policy: ExecutionPolicy = .default, into: String? = nil,
        _ body: @escaping @Sendable (StepContext) async throws -> JSON
    ) -> Node {
        Node(id, .function(body), policy: policy, into: into)
    }

    /// The targets a node names outside of edges (branch targets, map body, fallback).
    var referencedNodes: [String] {
        var names: [String] = []
        switch kind {
        case let .branch(branch): names = branch.cases.flatMap(\.targets) + branch.otherwise
        case let .map(spec): names = [spec.node]
        default: break
        }
        if let fallback = policy.fallback { names.append(fallback) }
        return names
    }

    var structure: JSON {
        var members: [String: JSON] = ["kind": .string(kind.name), "max_visits": .int(maxVisits), "policy": policy.structure]
        if let into { members["into"] = .string(into) }
        switch kind {
        case .function: break
        case let .set(assignments):
            members["set"] = .array(assignments.map { ["path": .string($0.path.description), "value": $0.source.structure] })
        case let .tool(call):
            members["tool"] = .string(call.tool)
            members["arguments"] = .object(call.arguments.mapValues(\.structure))
        case let .agent(call):
            members["agent"] = .string(call.agent)
            members["input"] = .object(call.input.mapValues(\.structure))
        case let .branch(branch):
            members["cases"] = .array(branch.cases.map { ["when": $0.condition.structure, "to": .array($0.targets.map(JSON.string))] })
            members["otherwise"] = .array(branch.otherwise.map(JSON.string))
        case let .map(spec):
            members["over"] = .string(spec.over.description)
            members["node"] = .string(spec.node)
            members["into"] = .string(spec.into)
        case let .wait(spec):
            if let signal = spec.signal { members["signal"] = .string(signal) }
            if let timeout = spec.timeout { members["timeout_ms"] = .int(Int(timeout.seconds * 1000)) }
        case let .workflow(call):
            members["workflow"] = .string(call.workflow)
            if let input = call.input { members["input"] = .object(input.mapValues(\.structure)) }
        case let .approval(spec):
            members["approval"] = spec.structure
        }
        return .object(members)
    }
}
