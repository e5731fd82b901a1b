import BatonCore

/// A workflow loaded from YAML: the validated graph, the document it came from (for the store,
/// so that its runs can resume after the file changes), and the sub-workflow files it refers to.
public struct LoadedWorkflow: Sendable {
    /// The workflow, validated; its ``Workflow/sourceHash`` is the SHA-256 of the source text.
    public var workflow: Workflow
    /// The document as the store keeps it: format `yaml`, the source text, and its absolute path.
    public var stored: StoredWorkflow
    /// The workflows of the `.yaml` files its `workflow` nodes name, each loaded the same way.
    /// A file that refers back to one being loaded (a cycle) is not repeated.
    public var subworkflows: [LoadedWorkflow]
    /// The file's `tools:` section.
    public var tools: [ToolDeclaration]
    /// The file's `mcp_servers:` section.
    public var mcpServers: [MCPServerDeclaration]
    /// The file's `agents:` section: each agent with its model references resolved (names under
    /// `models:` and routers under `routers:` replaced, `scripted:` files made absolute).
    public var agents: [Agent]
    /// The file's `prices:` section, added to the standard prices.
    public var prices: PriceTable?
    /// The file's `guardrails:` section, in order: every agent of the file checks its content
    /// against them, unless it chose some (``agentGuardrails``); see ``guardrails(forAgent:)``.
    public var guardrails: GuardrailSet
    /// The agents that list the guardrails they use (`guardrails: [names]`; an empty list: none).
    public var agentGuardrails: [String: [String]]
    /// The file's `roles:` section: who may decide its approval requests.
    public var roles: Roles

    /// A loaded workflow from its parts, as the loader builds it.
    public init(
        workflow: Workflow, stored: StoredWorkflow, subworkflows: [LoadedWorkflow] = [], tools: [ToolDeclaration] = [],
        mcpServers: [MCPServerDeclaration] = [], agents: [Agent] = [], prices: PriceTable? = nil, guardrails: GuardrailSet = .empty,
        agentGuardrails: [String: [String]] = [:], roles: Roles = Roles()
    ) {
        self.workflow = workflow
        self.stored = stored
        self.subworkflows = subworkflows
        self.tools = tools
        self.mcpServers = mcpServers
        self.agents = agents
        self.prices = prices
        self.guardrails = guardrails
        self.agentGuardrails = agentGuardrails
        self.roles = roles
    }

    /// The guardrails agent `name` checks its content against: those it listed, else all of
    /// the file's. (A name its list holds that the set lacks cannot come from the loader; should
    /// one come from elsewhere, the agent gets every guardrail rather than fewer.)
    public func guardrails(forAgent name: String) -> GuardrailSet {
        guard let names = agentGuardrails[name], let chosen = try? guardrails.selecting(names) else { return guardrails }
        return chosen
    }

    /// This workflow and every sub-workflow below it, each once, parents first.
    public var all: [LoadedWorkflow] {
        var seen: Set<String> = []
        var result: [LoadedWorkflow] = []
        func visit(_ loaded: LoadedWorkflow) {
            guard seen.insert(loaded.stored.location ?? loaded.stored.hash).inserted else { return }
            result.append(loaded)
            loaded.subworkflows.forEach(visit)
        }
        visit(self)
        return result
    }
}
