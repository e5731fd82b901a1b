import BatonCore
import Yams

/// Turns one parsed YAML document into a ``Workflow``, reporting every problem to its
/// ``DecodeContext``. One decoder decodes one document.
final class WorkflowDecoder {
    static let topLevelKeys = [
        "baton", "name", "version", "description", "input", "state", "limits", "tools", "mcp_servers", "models", "routers", "prices", "agents",
        "entry", "nodes", "edges", "output", "policies",
        "guardrails",
        "roles",
    ]
    static let formatVersion = 1
    static let builtInReducers = ["replace", "append", "merge", "sum"]

    let context: DecodeContext
    let functions: FunctionRegistry
    let tools: (any ToolInvoker)?
    let agents: (any AgentInvoker)?
    /// Loads the sub-workflow file `reference` (named at a path and position) and returns its
    /// workflow's name, or reports why it cannot and returns `nil`.
    let resolveFile: (_ reference: String, _ path: String, _ position: Position?) -> String?
    /// Called with the workflow's name as soon as it is read, before any sub-workflow is loaded.
    let named: (String) -> Void
    /// The declared state keys' reducers, once `state` is decoded.
    private(set) var stateReducers: [String: Reducer] = [:]
    /// The file's `tools:` and `mcp_servers:`, once decoded (before the nodes that use them).
    private(set) var toolDeclarations: [ToolDeclaration] = []
    private(set) var mcpServerDeclarations: [MCPServerDeclaration] = []
    /// The file's `agents:` and `prices:`, once decoded (before the nodes that use them).
    private(set) var agentDeclarations: [Agent] = []
    private(set) var priceTable: PriceTable?
    /// The file's `guardrails:`, once decoded (before the agents that choose among them).
    var guardrails = GuardrailSection()
    /// The file's `roles:`: who may decide its approval requests.
    private(set) var roles = Roles()
    /// The directory of the file, for the files it names (scripts, prices).
    let base: String

    init(
        context: DecodeContext, functions: FunctionRegistry, tools: (any ToolInvoker)?, agents: (any AgentInvoker)?,
        base: String, resolveFile: @escaping (String, String, Position?) -> String?, named: @escaping (String) -> Void
    ) {
        self.base = base
        self.context = context
        self.functions = functions
        self.tools = tools
        self.agents = agents
        self.resolveFile = resolveFile
        self.named = named
    }

    /// The workflow, validated, or `nil` with the problems in ``context``.
    func decode(_ root: YAMLNode, sourceHash: String) -> Workflow? {
        context.record("", value: root.position)
        guard let top = context.mapping(root, at: "", expected: "a workflow (a mapping with baton, name and nodes)", allowed: Self.topLevelKeys) else {
            return nil
        }
        formatVersion(top)
        var name: String?
        if let value = top.value("name") {
            if let text = context.string(value, at: "name", expected: "a workflow name") {
                if Names.isValidWorkflowName(text) {
                    name = text
                } else {
                    context.error("name", node: value, "expected a workflow name (letters, digits, '_', '-' and '.', starting with a letter or digit), found \(value.found)")
                }
            }
        } else {
            context.error("", at: top.position, "missing required key 'name' (the workflow's name, such as name: triage)")
        }
        if let name { named(name) }
        let versionLabel = top.value("version").flatMap { context.string($0, at: "version", expected: "a version label such as \"2025-01\"") }
        let summary = top.value("description").flatMap { context.string($0, at: "description", expected: "a description") }
        let inputSchema = top.value("input").flatMap { schema($0, at: "input") }
        let state = top.value("state").map { self.state($0, at: "state") } ?? StateSchema()
        let limits = top.value("limits").flatMap { self.limits($0, at: "limits") } ?? .default
        toolDeclarations = top.value("tools").map { toolDeclarations($0, at: "tools") } ?? []
        mcpServerDeclarations = top.value("mcp_servers").map { mcpServers($0, at: "mcp_servers") } ?? []
        checkFallbacks()
        let aliases = top.value("models").map { modelAliases($0, at: "models") } ?? [:]
        let routers = top.value("routers").map { self.routers($0, at: "routers", aliases: aliases) } ?? [:]
        priceTable = top.value("prices").flatMap { prices($0, at: "prices") }
        guardrails.set = top.value("guardrails").map { guardrailSet($0, at: "guardrails") } ?? .empty
        roles = top.value("roles").map { context.roles($0, at: "roles") } ?? Roles()
        agentDeclarations = top.value("agents").map { agents($0, at: "agents", aliases: aliases, routers: routers) } ?? []

        var nodes: [BatonCore.Node] = []
        var placeholders: [BatonCore.Node] = []
        if let nodesNode = context.required(top, "nodes", "the workflow's nodes, a mapping of names to nodes"),
            let fields = context.mapping(nodesNode, at: "nodes", expected: "a mapping of node names to nodes")
        {
            if fields.entries.isEmpty { context.error("nodes", node: nodesNode, "expected at least one node, found none") }
            for entry in fields.entries {
                let path = fields.path(entry.key)
                guard Names.isValid(entry.key) else {
                    context.error(path, at: entry.keyPosition, "expected a node name (letters, digits, '_' and '-', starting with a letter or '_'), found \"\(YAMLNode.excerpt(entry.key))\"")
                    placeholders.append(BatonCore.Node(entry.key, .set([])))
                    continue
                }
                if let node = node(entry.key, entry.value, at: path, keyPosition: entry.keyPosition) {
                    nodes.append(node)
                    placeholders.append(node)
                } else {
                    placeholders.append(BatonCore.Node(entry.key, .set([])))
                }
            }
        }
        let edges = top.value("edges").map { self.edges($0, at: "edges") } ?? []
        var entry: [String] = placeholders.first.map { [$0.id] } ?? []
        if let entryNode = top.value("entry") {
            if let names = context.names(entryNode, at: "entry", "a node name") {
                entry = names.map(\.name)
                for (position, name) in names.enumerated() { context.alias(core: "entry[\(position)]", to: name.path, at: name.position) }
            }
        }
        let output = top.value("output").flatMap { context.valueSources($0, at: "output") }
        let policies = top.value("policies").map { self.policies($0, at: "policies") } ?? []

        let workflow = Workflow(
            name: name ?? "workflow", versionLabel: versionLabel, summary: summary, inputSchema: inputSchema, state: state,
            nodes: context.hasErrors ? placeholders : nodes, edges: edges, entry: entry, limits: limits, output: output,
            sourceHash: sourceHash, policies: policies
        )
        if nodes.isEmpty && placeholders.isEmpty { return nil }
        checkEdgesFromBranches(edges, nodes: nodes)
        if context.hasErrors {
            // Reference checks still mean something with placeholders; reachability and cycles do not.
            for issue in workflow.validate() where issue.path != "edges" && !(issue.path.hasPrefix("nodes.") && !issue.path.dropFirst(6).contains(".")) {
                context.report(issue)
            }
            return nil
        }
        for issue in workflow.validate() { context.report(issue) }
        return context.hasErrors ? nil : workflow
    }

    /// A branch node's cases are its edges: the engine follows the chosen route and never looks
    /// at edges leaving a branch, so such an edge is a mistake.
    private func checkEdgesFromBranches(_ edges: [Edge], nodes: [BatonCore.Node]) {
        let branches = Set(nodes.filter { if case .branch = $0.kind { return true } else { return false } }.map(\.id))
        for (number, edge) in edges.enumerated() {
            for (position, source) in edge.from.enumerated() where branches.contains(source) {
                context.report(WorkflowIssue(
                    path: "edges[\(number)].from[\(position)]",
                    message: "'\(source)' is a branch node, whose cases choose where the run goes next; an edge leaving it is never taken: add its target to a case or to otherwise"
                ))
            }
        }
    }

    private func formatVersion(_ top: YAMLMapping) {
        guard let value = top.value("baton") else {
            context.error("", at: top.position, "missing required key 'baton' (the format version: start the file with baton: \(Self.formatVersion))")
            return
        }
        guard value.scalarKind == .int, let version = value.int else {
            context.error("baton", node: value, "expected the format version \(Self.formatVersion), found \(value.found)")
            return
        }
        if version != Self.formatVersion {
            context.error("baton", node: value, "unsupported format version \(version): this version of Baton reads baton: \(Self.formatVersion)")
        }
    }

    /// `state: { key: { reducer: append, initial: [] }, other: sum, plain: {} }`.
    private func state(_ node: YAMLNode, at path: String) -> StateSchema {
        guard let fields = context.mapping(node, at: path, expected: "a mapping of state keys to { reducer, initial }", nullIsEmpty: true) else {
            return StateSchema()
        }
        var keys: [String: StateSchema.Key] = [:]
        for entry in fields.entries {
            let keyPath = fields.path(entry.key)
            guard Names.isValid(entry.key) else {
                context.error(keyPath, at: entry.keyPosition, "expected a state key (letters, digits, '_' and '-', starting with a letter or '_'), found \"\(YAMLNode.excerpt(entry.key))\"")
                continue
            }
            var reducerNode: YAMLNode?
            var initial: JSON?
            var reducerPath = keyPath
            switch entry.value {
            case .scalar where entry.value.isNull: break
            case .scalar: reducerNode = entry.value
            default:
                guard let declaration = context.mapping(entry.value, at: keyPath, expected: "a reducer name or { reducer, initial }", allowed: ["reducer", "initial"]) else {
                    continue
                }
                reducerNode = declaration.value("reducer")
                reducerPath = declaration.path("reducer")
                if let value = declaration.value("initial") {
                    guard let json = context.json(value, at: declaration.path("initial")) else { continue }
                    initial = json
                }
            }
            var reducer = Reducer.replace
            if let reducerNode {
                guard let resolved = self.reducer(reducerNode, at: reducerPath) else { continue }
                reducer = resolved
            }
            if let initial, let problem = Self.mismatch(initial, reducer) {
                context.error(DecodeContext.join(keyPath, "initial"), "the \(reducer.name) reducer needs \(problem), but the initial value is \(initial.typeName) \(JSON.excerpt(initial))")
                continue
            }
            keys[entry.key] = StateSchema.Key(reducer: reducer, initial: initial)
            stateReducers[entry.key] = reducer
        }
        return StateSchema(keys)
    }

    private func reducer(_ node: YAMLNode, at path: String) -> Reducer? {
        guard let name = context.string(node, at: path, expected: "a reducer name (replace, append, merge, sum or a registered one)") else { return nil }
        if let builtIn = Reducer(builtIn: name) { return builtIn }
        if let custom = functions.reducer(name) { return .custom(custom) }
        let known = Self.builtInReducers + functions.reducerNames
        context.error(path, node: node, "unknown reducer '\(name)'\(Suggestions.didYouMean(name, among: known)); the built-in reducers are replace, append, merge and sum; register others with FunctionRegistry.register(reducer:)")
        return nil
    }

    private static func mismatch(_ initial: JSON, _ reducer: Reducer) -> String? {
        switch (reducer, initial) {
        case (_, .null), (.replace, _), (.custom, _): return nil
        case (.append, .array), (.merge, .object): return nil
        case (.sum, _) where initial.isNumber: return nil
        case (.append, _): return "an array"
        case (.merge, _): return "an object"
        default: return "a number"
        }
    }

    /// `limits: { max_steps: 100, max_map_items: 100000, max_concurrency: 64 }`, the run's budget
    /// (`max_tokens`, `max_cost_usd`, …, `soft_limit`) and its loop detection (`same_tool_calls`, …).
    private func limits(_ node: YAMLNode, at path: String) -> RunLimits? {
        let keys = ["max_steps", "max_map_items", "max_concurrency"] + Self.budgetKeys + Self.loopKeys
        guard let fields = context.mapping(node, at: path, allowed: keys) else { return nil }
        var limits = RunLimits.default
        if let value = fields.value("max_steps"), let number = context.integer(value, at: fields.path("max_steps")) { limits.maxSteps = number }
        if let value = fields.value("max_map_items"), let number = context.integer(value, at: fields.path("max_map_items")) { limits.maxMapItems = number }
        if let value = fields.value("max_concurrency"), let number = context.integer(value, at: fields.path("max_concurrency")) {
            limits.maxConcurrency = number
        }
        guard let budget = budget(fields), let loops = loopDetection(fields) else { return nil }
        limits.budget = budget
        limits.loops = loops
        return limits
    }
}
