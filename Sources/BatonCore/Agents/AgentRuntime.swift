import Synchronization

/// Runs agents for `agent` nodes: the engine's ``AgentInvoker``.
///
/// It holds the registered agents, resolves their models, offers them the tools of its
/// ``ToolBox`` they are allowed, prices every model call, and keeps the optional response cache.
///
/// ```swift
/// let agents = AgentRuntime(models: FixedModelResolver(["scripted": script]), tools: toolbox)
/// try agents.register(Agent(name: "triage", instructions: try Template("You triage tickets."),
///                           model: .model(try ModelReference(parsing: "openai:gpt-4.1-mini"))))
/// let engine = Engine(store: store, tools: toolbox, agents: agents)
/// ```
public final class AgentRuntime: AgentInvoker {
    public let models: any ModelResolver
    public let tools: ToolBox?
    public let prices: PriceTable
    public let cache: (any ResponseCache)?
    private let registry = Mutex<[String: Agent]>([:])
    /// Each agent's offered tools, with the tool box's generation they were built from.
    private let offers = Mutex<[String: (generation: Int, offer: AgentToolOffer)]>([:])

    public init(models: any ModelResolver, tools: ToolBox? = nil, prices: PriceTable = .standard, cache: (any ResponseCache)? = nil) {
        self.models = models
        self.tools = tools
        self.prices = prices
        self.cache = cache
    }

    /// Adds `agent`, replacing one of the same name.
    public func register(_ agent: Agent) throws(AgentError) {
        guard !agent.name.isEmpty, ToolContract.isValidName(agent.name) else {
            throw AgentError.invalidDefinition(agent: agent.name, reason: "a name is letters, digits, '_', '-' and '.', at most 64 characters")
        }
        guard agent.limits.maxTurns > 0 else {
            throw AgentError.invalidDefinition(agent: agent.name, reason: "max_turns must be at least 1")
        }
        guard !agent.model.references.isEmpty else {
            throw AgentError.invalidDefinition(agent: agent.name, reason: "it needs a model, or a router with at least one model")
        }
        if let schema = agent.outputSchema {
            do { _ = try JSONSchema(schema) } catch {
                throw AgentError.invalidDefinition(agent: agent.name, reason: "its output schema is not a valid JSON Schema: \(error)")
            }
        }
        registry.withLock { $0[agent.name] = agent }
        // Offers describe the agents they reach: any of them may have changed.
        offers.withLock { $0 = [:] }
    }

    /// The tools `agent` is offered, built once per agent and kept until the tool box or the
    /// registered agents change.
    func offer(for agent: Agent) throws(AgentError) -> AgentToolOffer {
        let generation = tools?.generation ?? 0
        if let kept = offers.withLock({ $0[agent.name] }), kept.generation == generation { return kept.offer }
        let offer = try AgentToolOffer(agent: agent, runtime: self)
        offers.withLock { $0[agent.name] = (generation, offer) }
        return offer
    }

    /// The agent registered under `name`.
    public func agent(named name: String) -> Agent? { registry.withLock { $0[name] } }

    public func hasAgent(_ agent: String) -> Bool { registry.withLock { $0[agent] != nil } }

    /// The names of the registered agents, sorted.
    public var agentNames: [String] { registry.withLock { $0.keys.sorted() } }

    public func runAgent(_ name: String, input: JSON, context: StepContext) async throws -> StepOutcome {
        guard let agent = agent(named: name) else { throw AgentError.unknownAgent(name, known: agentNames) }
        // Templates see what remains of the budgets: `budget.agent`, `budget.run`, `budget.step`.
        var remaining = context.ledger?.remaining.objectValue ?? [:]
        remaining["agent"] = agent.limits.budget.remaining(after: .zero, elapsed: nil).setting("turns", .int(agent.limits.maxTurns))
        let scope = context.scope.setting("run", ["input": context.input]).setting("input", input).setting("budget", .object(remaining))
        // An attempt that starts further up the router asks its model afresh: its conversation is
        // journaled apart (`r1`, `r2`, …) instead of replaying the answers that failed.
        let level = AgentConversation.startLevel(agent, attempt: context.attempt)
        let journal = level > 0 ? context.branch("r\(level)") : context
        defer { if level > 0 { context.merge(journal) } }
        var conversation = try AgentConversation(runtime: self, agent: agent, input: input, scope: scope, context: journal, budget: AgentBudget(limits: agent.limits))
        return try await conversation.run()
    }
}
