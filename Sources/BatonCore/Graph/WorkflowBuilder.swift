/// Builds a ``Workflow`` in Swift, step by step.
///
/// ```swift
/// var flow = WorkflowBuilder("count-to-three")
/// flow.state("count", .sum, initial: 0)
/// flow.function("one") { _ in ["count": 1] }
/// flow.function("two") { _ in ["count": 2] }
/// flow.edge("one", "two")
/// let workflow = try flow.build()   // entry: the first node; validated
/// ```
public struct WorkflowBuilder: Sendable {
    public var name: String
    public var versionLabel: String?
    public var inputSchema: JSONSchema?
    public var limits = RunLimits.default
    public var output: [String: ValueSource]?
    /// The governance policies of the workflow's actions (see ``Workflow/policies``).
    public var policies: [Policy] = []
    private var stateKeys: [String: StateSchema.Key] = [:]
    private var nodes: [Node] = []
    private var edges: [Edge] = []
    private var entry: [String] = []

    public init(_ name: String, version: String? = nil) {
        self.name = name
        self.versionLabel = version
    }

    /// Declares a state key with its reducer and initial value.
    public mutating func state(_ key: String, _ reducer: Reducer = .replace, initial: JSON? = nil) {
        stateKeys[key] = StateSchema.Key(reducer: reducer, initial: initial)
    }

    /// Adds a node.
    public mutating func add(_ node: Node) { nodes.append(node) }

    /// Adds a function node.
    public mutating func function(
        _ id: String, policy: ExecutionPolicy = .default, into: String? = nil, maxVisits: Int = Node.defaultMaxVisits,
        _ body: @escaping @Sendable (StepContext) async throws -> JSON
    ) {
        nodes.append(Node(id, .function(body), policy: policy, maxVisits: maxVisits, into: into))
    }

    /// Adds a node of any kind.
    public mutating func node(
        _ id: String, _ kind: NodeKind, policy: ExecutionPolicy = .default, into: String? = nil, maxVisits: Int = Node.defaultMaxVisits
    ) {
        nodes.append(Node(id, kind, policy: policy, maxVisits: maxVisits, into: into))
    }

    /// Adds a static or conditional edge.
    public mutating func edge(_ from: String, _ to: String, when condition: Condition? = nil) {
        edges.append(Edge(from, to, when: condition))
    }

    /// Adds a parallel edge: every target runs side by side.
    public mutating func edge(_ from: String, parallel targets: [String], when condition: Condition? = nil) {
        edges.append(Edge(from: [from], to: targets, when: condition))
    }

    /// Adds a join: `to` runs once every source has completed.
    public mutating func join(_ sources: [String], _ to: String) {
        edges.append(Edge(from: sources, to: [to]))
    }

    /// Names the nodes of the first superstep (default: the first node added).
    public mutating func entry(_ ids: String...) { entry = ids }

    /// The workflow, validated.
    public func build() throws(WorkflowValidationError) -> Workflow {
        try Workflow(
            name: name, versionLabel: versionLabel, inputSchema: inputSchema, state: StateSchema(stateKeys),
            nodes: nodes, edges: edges, entry: entry.isEmpty ? Array(nodes.prefix(1).map(\.id)) : entry,
            limits: limits, output: output, policies: policies
        ).validated()
    }
}
