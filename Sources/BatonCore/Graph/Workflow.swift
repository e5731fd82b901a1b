import Crypto

/// A named, versioned graph of nodes over a typed state: what a run executes.
///
/// Build one in Swift with ``WorkflowBuilder`` or load one from YAML with `BatonSpec`; both give
/// the same value. Its version is ``contentHash`` (a hash of its structure) plus an optional label.
public struct Workflow: Sendable {
    public let name: String
    public let versionLabel: String?
    public let summary: String?
    /// Validates a run's input; `nil` accepts any object.
    public let inputSchema: JSONSchema?
    public let state: StateSchema
    /// Nodes in declaration order.
    public let nodes: [Node]
    public let edges: [Edge]
    /// The nodes of the first superstep.
    public let entry: [String]
    public let limits: RunLimits
    /// What a finished run returns; `nil` returns the whole state.
    public let output: [String: ValueSource]?
    /// Hash of the source document this workflow was loaded from, when there is one: it makes the
    /// content hash cover what closures cannot (YAML literals, templates).
    public let sourceHash: String?
    /// The governance policies its actions are checked against, merged in this order (see
    /// ``PolicyEngine``). They are not part of ``contentHash``: a policy is enforced as it is
    /// now, so a changed policy applies to a run resumed after the change.
    public let policies: [Policy]

    /// The workflow's version: SHA-256 of its canonical structure, as hex. Computed once.
    public private(set) var contentHash: String
    /// `name@label+hash12` or `name@hash12`: how events and listings name this version. Computed once.
    public private(set) var versionName: String
    /// True when some node is a `wait` node (runs without one never read their signals).
    let hasWaitNodes: Bool

    private let index: [String: Int]
    private let outgoing: [String: [Int]]

    public init(
        name: String, versionLabel: String? = nil, summary: String? = nil, inputSchema: JSONSchema? = nil,
        state: StateSchema = StateSchema(), nodes: [Node], edges: [Edge], entry: [String],
        limits: RunLimits = .default, output: [String: ValueSource]? = nil, sourceHash: String? = nil, policies: [Policy] = []
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
        var index: [String: Int] = [:]
        for (position, node) in nodes.enumerated() where index[node.id] == nil { index[node.id] = position }
        self.index = index
        var outgoing: [String: [Int]] = [:]
        for (number, edge) in edges.enumerated() {
            for source in Set(edge.from) { outgoing[source, default: []].append(number) }
        }
        self.outgoing = outgoing
        self.hasWaitNodes = nodes.contains { if case .wait = $0.kind { true } else { false } }
        self.contentHash = ""
        self.versionName = ""
        self.contentHash = Hash.sha256Hex(structure.canonicalBytes)
        let short = String(contentHash.prefix(12))
        self.versionName = versionLabel.map { "\(name)@\($0)+\(short)" } ?? "\(name)@\(short)"
    }

    /// The node called `id`.
    public func node(_ id: String) -> Node? { index[id].map { nodes[$0] } }

    /// True when node `id` is a `map` node.
    func isMap(_ id: String) -> Bool {
        guard let position = index[id], case .map = nodes[position].kind else { return false }
        return true
    }

    /// The `max_visits` of node `id`, or `nil` for an unknown node.
    func maxVisits(of id: String) -> Int? { index[id].map { nodes[$0].maxVisits } }

    /// Edges leaving `id`, in declaration order.
    public func edges(from id: String) -> [Edge] { (outgoing[id] ?? []).map { edges[$0] } }

    /// The positions (in ``edges``) of the edges leaving `id`, in declaration order.
    public func edgeNumbers(from id: String) -> [Int] { outgoing[id] ?? [] }

    /// The structure that ``contentHash`` covers: every node, edge, reducer, limit and policy.
    public var structure: JSON {
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
            "limits": ["max_steps": .int(limits.maxSteps), "max_map_items": .int(limits.maxMapItems)],
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
