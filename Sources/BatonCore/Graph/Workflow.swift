import Crypto

/// A named, versioned graph of nodes over a typed state: what a run executes.
///
/// Build one in Swift with ``WorkflowBuilder`` or load one from YAML with `BatonSpec`; both give
/// the same value. Its version is ``contentHash`` (a hash of its structure) plus an optional label.
public struct Workflow: Sendable {
    /// Everything a workflow holds, in one immutable object: copying a workflow (the engine
    /// hands it to several parts of a run) costs one reference, not one per member.
    private final class Storage: Sendable {
        let name: String
        let versionLabel: String?
        let summary: String?
        let inputSchema: JSONSchema?
        let state: StateSchema
        let nodes: [Node]
        let edges: [Edge]
        let entry: [String]
        let limits: RunLimits
        let output: [String: ValueSource]?
        let sourceHash: String?
        let policies: [Policy]
        /// The policies compiled once, for every run; `nil` without policies.
        let policyEngine: PolicyEngine?
        let hasWaitNodes: Bool
        /// Each node's position in `nodes`, by id.
        let index: [String: Int]
        /// By node position: the edges leaving the node, in declaration order.
        let outgoing: [[Int]]

        init(
            name: String, versionLabel: String?, summary: String?, inputSchema: JSONSchema?, state: StateSchema, nodes: [Node],
            edges: [Edge], entry: [String], limits: RunLimits, output: [String: ValueSource]?, sourceHash: String?, policies: [Policy]
        ) {
            self.name = name
            self.versionLabel = versionLabel
            self.summary = summary
            self.inputSchema = inputSchema
            self.state = state
            self.nodes = nodes
            self.edges = edges
            self.entry = entry
            self.limits = limits
            self.output = output
            self.sourceHash = sourceHash
            self.policies = policies
            self.policyEngine = policies.isEmpty ? nil : PolicyEngine(policies)
            var index: [String: Int] = [:]
            for (position, node) in nodes.enumerated() where index[node.id] == nil { index[node.id] = position }
            self.index = index
            var outgoing = [[Int]](repeating: [], count: nodes.count)
            for (number, edge) in edges.enumerated() {
                for source in Set(edge.from) {
                    if let position = index[source] { outgoing[position].append(number) }
                }
            }
            self.outgoing = outgoing
            self.hasWaitNodes = nodes.contains { if case .wait = $0.kind { true } else { false } }
        }
    }

    private let storage: Storage

    public var name: String { storage.name }
    public var versionLabel: String? { storage.versionLabel }
    public var summary: String? { storage.summary }
    /// Validates a run's input; `nil` accepts any object.
    public var inputSchema: JSONSchema? { storage.inputSchema }
    // The members the engine reads for every step are read in place (`_read`), not copied.
    public var state: StateSchema { _read { yield storage.state } }
    /// Nodes in declaration order.
    public var nodes: [Node] { _read { yield storage.nodes } }
    public var edges: [Edge] { _read { yield storage.edges } }
    /// The nodes of the first superstep.
    public var entry: [String] { storage.entry }
    public var limits: RunLimits { _read { yield storage.limits } }
    /// What a finished run returns; `nil` returns the whole state.
    public var output: [String: ValueSource]? { storage.output }
    /// Hash of the source document this workflow was loaded from, when there is one: it makes the
    /// content hash cover what closures cannot (YAML literals, templates).
    public var sourceHash: String? { storage.sourceHash }
    /// The governance policies its actions are checked against, merged in this order (see
    /// ``PolicyEngine``). They are not part of ``contentHash``: a policy is enforced as it is
    /// now, so a changed policy applies to a run resumed after the change.
    public var policies: [Policy] { storage.policies }
    /// The policies compiled once (with one rate limiter for every run of this workflow in the process).
    var policyEngine: PolicyEngine? { storage.policyEngine }

    /// The workflow's version: SHA-256 of its canonical structure, as hex. Computed once.
    public let contentHash: String
    /// `name@label+hash12` or `name@hash12`: how events and listings name this version. Computed once.
    public let versionName: String
    /// True when some node is a `wait` node (runs without one never read their signals).
    var hasWaitNodes: Bool { storage.hasWaitNodes }

    public init(
        name: String, versionLabel: String? = nil, summary: String? = nil, inputSchema: JSONSchema? = nil,
        state: StateSchema = StateSchema(), nodes: [Node], edges: [Edge], entry: [String],
        limits: RunLimits = .default, output: [String: ValueSource]? = nil, sourceHash: String? = nil, policies: [Policy] = []
    ) {
        storage = Storage(
            name: name, versionLabel: versionLabel, summary: summary, inputSchema: inputSchema, state: state, nodes: nodes,
            edges: edges, entry: entry, limits: limits, output: output, sourceHash: sourceHash, policies: policies
        )
        let hash = Hash.sha256Hex(Self.structure(of: storage).canonicalBytes)
        let short = String(hash.prefix(12))
        contentHash = hash
        versionName = versionLabel.map { "\(name)@\($0)+\(short)" } ?? "\(name)@\(short)"
    }

    /// The node called `id`.
    public func node(_ id: String) -> Node? { storage.index[id].map { storage.nodes[$0] } }

    /// The position of node `id` in ``nodes``.
    func position(of id: String) -> Int? { storage.index[id] }

    /// True when the node at `position` is a `map` node.
    func isMap(at position: Int) -> Bool {
        if case .map = storage.nodes[position].kind { return true }
        return false
    }

    /// The `max_visits` of node `id`, or `nil` for an unknown node.
    func maxVisits(of id: String) -> Int? { storage.index[id].map { storage.nodes[$0].maxVisits } }

    /// Edges leaving `id`, in declaration order.
    public func edges(from id: String) -> [Edge] { edgeNumbers(from: id).map { storage.edges[$0] } }

    /// The positions (in ``edges``) of the edges leaving `id`, in declaration order.
    public func edgeNumbers(from id: String) -> [Int] { storage.index[id].map(edgeNumbers(at:)) ?? [] }

    /// The positions of the edges leaving the node at `position`, in declaration order.
    func edgeNumbers(at position: Int) -> [Int] { storage.outgoing[position] }

    /// The structure that ``contentHash`` covers: every node, edge, reducer, limit and policy.
    public var structure: JSON { Self.structure(of: storage) }

    /// The limits the content hash covers (a budget and loop detection only when they differ from
    /// the defaults, so that the versions of workflows without them did not change).
    private static func limitsStructure(_ limits: RunLimits) -> JSON {
        var members: [String: JSON] = ["max_steps": .int(limits.maxSteps), "max_map_items": .int(limits.maxMapItems)]
        if !limits.budget.isUnlimited || limits.budget.soft != nil { members["budget"] = limits.budget.json }
        if limits.loops != .default { members["loops"] = limits.loops.json }
        return .object(members)
    }

    private static func structure(of workflow: Storage) -> JSON {
        let (name, entry, nodes, edges, state, limits) = (workflow.name, workflow.entry, workflow.nodes, workflow.edges, workflow.state, workflow.limits)
        let (versionLabel, inputSchema, output, sourceHash) = (workflow.versionLabel, workflow.inputSchema, workflow.output, workflow.sourceHash)
        var members: [String: JSON] = [
            "name": .string(name),
            "entry": .array(entry.map(JSON.string)),
            "nodes": .array(nodes.map { node in
                var structure = node.structure
                if case var .object(fields) = structure { fields["id"] = .string(node.id); structure = .object(fields) }
                return structure
            }),
            "edges": .array(edges.map(\.structure)),
            "state": .object(state.keys.mapValues { key in
                var fields: [String: JSON] = ["reducer": .string(key.reducer.name)]
                if let initial = key.initial { fields["initial"] = initial }
                return .object(fields)
            }),
            "limits": limitsStructure(limits),
        ]
        if let versionLabel { members["version"] = .string(versionLabel) }
        if let inputSchema { members["input_schema"] = inputSchema.source }
        if let output { members["output"] = .object(output.mapValues(\.structure)) }
        if let sourceHash { members["source"] = .string(sourceHash) }
        return .object(members)
    }
}

/// SHA-256 helpers.
public enum Hash {
    /// The SHA-256 of `bytes` as lowercase hex.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
