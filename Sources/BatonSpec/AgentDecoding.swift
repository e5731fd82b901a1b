import BatonCore
import Yams

extension ExpressionScope {
    /// A router's `escalate_when` sees the agent's template scope and its answer.
    static let router = ["state", "input", "run", "item", "index", "answer"]
}

extension WorkflowDecoder {
    static let agentKeys = [
        "role", "instructions", "prompt", "model", "tools", "output_schema", "input_schema", "repair_attempts", "limits", "handoffs",
        "agent_tools", "temperature", "max_output_tokens", "seed", "cache", "retry", "timeout", "guardrails",
    ]
    static let agentLimitKeys = ["max_turns", "max_tokens", "max_input_tokens", "max_output_tokens", "max_cost_usd", "max_tool_calls", "soft_limit"]
    static let routerKeys = ["models", "escalate_on", "escalate_when"]

    /// `models: { fast: openai:gpt-4.1-mini, local: ollama:llama3.2 }`: names for references.
    func modelAliases(_ node: YAMLNode, at path: String) -> [String: ModelReference] {
        guard let fields = context.mapping(node, at: path, expected: "a mapping of names to model references such as openai:gpt-4.1-mini", nullIsEmpty: true) else {
            return [:]
        }
        var aliases: [String: ModelReference] = [:]
        for entry in fields.entries {
            if let reference = modelReference(entry.value, at: fields.path(entry.key), aliases: [:]) { aliases[entry.key] = reference }
        }
        return aliases
    }

    /// `routers: { cheap-first: { models: [fast, openai:gpt-4.1], escalate_on: [invalid_output], escalate_when: "…" } }`.
    func routers(_ node: YAMLNode, at path: String, aliases: [String: ModelReference]) -> [String: ModelRouter] {
        guard let fields = context.mapping(node, at: path, expected: "a mapping of router names to routers", nullIsEmpty: true) else { return [:] }
        var routers: [String: ModelRouter] = [:]
        for entry in fields.entries {
            let routerPath = fields.path(entry.key)
            guard let settings = context.mapping(entry.value, at: routerPath, expected: "a router: models, escalate_on, escalate_when", allowed: Self.routerKeys),
                let modelsNode = context.required(settings, "models", "the models to try, cheap first")
            else { continue }
            var read = FieldReader(settings)
            let models = context.list(modelsNode, at: settings.path("models"))?.compactMap { modelReference($0.node, at: $0.path, aliases: aliases) }
            let escalation = read("escalate_on") { value, path -> Set<ModelRouter.Escalation>? in
                guard let names = context.strings(value, at: path, "an escalation") else { return nil }
                var result: Set<ModelRouter.Escalation> = []
                for name in names {
                    guard let escalation = ModelRouter.Escalation(rawValue: name) else {
                        context.error(path, node: value, "unknown escalation '\(name)'; expected \(Suggestions.list(ModelRouter.Escalation.allCases.map(\.rawValue)))")
                        return nil
                    }
                    result.insert(escalation)
                }
                return result
            }
            let classifier = read("escalate_when") { context.expression($0, at: $1, scope: ExpressionScope.router) }
            guard let models, !read.failed else { continue }
            if models.isEmpty { context.error(settings.path("models"), "a router needs at least one model") }
            var judge: (@Sendable (JSON, JSON) -> String?)?
            if let classifier {
                judge = { answer, scope in
                    let holds = (try? classifier.isTrue(in: scope.setting("answer", answer))) ?? false
                    return holds ? "escalate_when \(classifier.source) holds" : nil
                }
            }
            routers[entry.key] = ModelRouter(
                name: entry.key, models: models, escalation: escalation ?? [.invalidOutput, .criterionFailed], classifier: judge
            )
        }
        return routers
    }

    /// `prices: { my-model: { input: 0.5, output: 1.5 } }` or `prices: prices.yaml`.
    func prices(_ node: YAMLNode, at path: String) -> PriceTable? {
        let json: JSON?
        if let file = node.scalar?.string, node.scalarKind == .string {
            let location = SourceFiles.absolute(file, relativeTo: base)
            guard let text = try? String(contentsOfFile: location, encoding: .utf8) else {
                context.error(path, node: node, "cannot read the prices file '\(file)' (looked for \(location))")
                return nil
            }
            do { json = try WorkflowLoader.json(yaml: text, file: file) } catch {
                context.error(path, node: node, "the prices file '\(file)' is not valid YAML or JSON: \(error)")
                return nil
            }
        } else {
            json = context.json(node, at: path)
        }
        guard let json else { return nil }
        do { return try PriceTable(json: json) } catch {
            context.error(path, node: node, error.message)
            return nil
        }
    }

    /// `agents: { triage: { instructions: …, model: …, tools: […], … } }`.
    func agents(_ node: YAMLNode, at path: String, aliases: [String: ModelReference], routers: [String: ModelRouter]) -> [Agent] {
        guard let fields = context.mapping(node, at: path, expected: "a mapping of agent names to agents", nullIsEmpty: true) else { return [] }
        let names = Set(fields.entries.map(\.key))
        var agents: [Agent] = []
        for entry in fields.entries {
            let agentPath = fields.path(entry.key)
            guard ToolContract.isValidName(entry.key) else {
                context.error(agentPath, at: entry.keyPosition, "expected an agent name (1 to 64 letters, digits, '_', '-' and '.'), found \"\(YAMLNode.excerpt(entry.key))\"")
                continue
            }
            if let agent = agent(entry.key, entry.value, at: agentPath, aliases: aliases, routers: routers, agentNames: names) { agents.append(agent) }
        }
        return agents
    }

    private func agent(
        _ name: String, _ node: YAMLNode, at path: String, aliases: [String: ModelReference], routers: [String: ModelRouter], agentNames: Set<String>
    ) -> Agent? {
        guard let fields = context.mapping(node, at: path, expected: "an agent: instructions, model, tools, output_schema, limits, …", allowed: Self.agentKeys),
            context.required(fields, "instructions", "the agent's instructions (its system prompt, a Mustache template)") != nil,
            context.required(fields, "model", "the agent's model (PROVIDER:MODEL, a name under models:, or a router)") != nil
        else { return nil }
        var read = FieldReader(fields)
        let instructions = read("instructions") { template($0, at: $1) }
        let prompt = read("prompt") { template($0, at: $1) }
        let model = read("model") { value, path -> ModelChoice? in
            if let text = value.scalar?.string, let router = routers[text] { return .router(router) }
            return modelReference(value, at: path, aliases: aliases).map(ModelChoice.model)
        }
        let role = read("role") { context.string($0, at: $1, expected: "the agent's role in a line") }
        let tools = read("tools") { value, path -> [String]? in
            guard let names = context.strings(value, at: path, "a tool name") else { return nil }
            for tool in names { if let problem = unknownTool(tool) { context.error(path, node: value, problem); return nil } }
            return names
        }
        let agentReferences: (YAMLNode, String) -> [String]? = { value, path in
            guard let names = self.context.strings(value, at: path, "an agent name") else { return nil }
            for other in names where !agentNames.contains(other) && self.agents?.hasAgent(other) != true {
                self.context.error(path, node: value, "unknown agent '\(other)'\(Suggestions.didYouMean(other, among: agentNames.sorted())); expected an agent under agents:")
                return nil
            }
            return names
        }
        let handoffs = read("handoffs", agentReferences)
        let agentTools = read("agent_tools", agentReferences)
        let output = read("output_schema") { schema($0, at: $1)?.source }
        let input = read("input_schema") { schema($0, at: $1)?.source }
        let repairs = read("repair_attempts") { context.integer($0, at: $1, minimum: 0) }
        let limits = read("limits") { agentLimits($0, at: $1) }
        let temperature = read("temperature") { context.number($0, at: $1, in: 0...2, expected: "a temperature from 0 to 2") }
        let maxOutput = read("max_output_tokens") { context.integer($0, at: $1) }
        let seed = read("seed") { context.integer($0, at: $1, minimum: 0) }
        let cache = read("cache") { cachePolicy($0, at: $1) }
        let retry = read("retry") { retryPolicy($0, at: $1) }
        let timeout = read("timeout") { duration($0, at: $1) }
        let chosenGuardrails = read("guardrails") { agentGuardrails($0, at: $1) }
        guard !read.failed, let instructions, let model else { return nil }
        if let chosenGuardrails { guardrails.agents[name] = chosenGuardrails }
        return Agent(
            name: name, role: role ?? "", instructions: instructions, prompt: prompt, model: model, tools: tools ?? [], outputSchema: output,
            repairAttempts: repairs ?? 2, limits: limits ?? AgentLimits(), handoffs: handoffs ?? [], agentTools: agentTools ?? [], inputSchema: input,
            temperature: temperature, maxOutputTokens: maxOutput, seed: seed, cache: cache,
            retry: retry.map { ModelRetryPolicy(maxAttempts: $0.maxAttempts, initialBackoff: $0.initialBackoff, maxBackoff: $0.maxBackoff) } ?? ModelRetryPolicy(),
            modelTimeout: timeout ?? .seconds(120)
        )
    }

    /// A model reference, a name under `models:`; `scripted:FILE` is made absolute beside the workflow.
    private func modelReference(_ node: YAMLNode, at path: String, aliases: [String: ModelReference]) -> ModelReference? {
        guard let text = context.string(node, at: path, expected: "a model reference such as openai:gpt-4.1-mini") else { return nil }
        if let alias = aliases[text] { return alias }
        do {
            var reference = try ModelReference(parsing: text)
            if reference.provider == "scripted" { reference.model = SourceFiles.absolute(reference.model, relativeTo: base) }
            return reference
        } catch {
            let names = aliases.keys.sorted()
            context.error(path, node: node, "\(error)" + (names.isEmpty ? "" : "; or one of the names under models: \(Suggestions.list(names))"))
            return nil
        }
    }

    private func template(_ node: YAMLNode, at path: String) -> Template? {
        guard let text = context.string(node, at: path, expected: "a Mustache template") else { return nil }
        do { return try Template(text) } catch {
            context.error(path, node: node, "\(error)")
            return nil
        }
    }

    /// `limits: { max_turns: 10, max_tokens: 20000, max_cost_usd: 0.10, max_tool_calls: 20 }`.
    private func agentLimits(_ node: YAMLNode, at path: String) -> AgentLimits? {
        guard let fields = context.mapping(node, at: path, expected: "the agent's limits", allowed: Self.agentLimitKeys) else { return nil }
        var read = FieldReader(fields)
        let turns = read("max_turns") { context.integer($0, at: $1) }
        guard let budget = budget(fields), !read.failed else { return nil }
        if budget.soft?.action == .extend {
            context.error(fields.path("soft_limit"), node: fields.value("soft_limit") ?? node, "'action: extend' applies to a workflow's or a node's budget, whose extension outlives the conversation; an agent's limits can record, downgrade, compact or summarize")
            return nil
        }
        return AgentLimits(
            maxTurns: turns ?? AgentLimits().maxTurns, maxTokens: budget.maxTokens, maxCostUSD: budget.maxCostUSD, maxToolCalls: budget.maxToolCalls,
            maxInputTokens: budget.maxInputTokens, maxOutputTokens: budget.maxOutputTokens, soft: budget.soft
        )
    }

    /// `cache: true`, `cache: 1h`, or `cache: { ttl: 1h, models: true, tools: false }`.
    private func cachePolicy(_ node: YAMLNode, at path: String) -> CachePolicy? {
        if let enabled = node.booleanValue { return enabled ? CachePolicy() : CachePolicy(models: false, tools: false) }
        if node.scalar != nil { return duration(node, at: path).map { CachePolicy(ttl: $0) } }
        guard let fields = context.mapping(node, at: path, expected: "true, a time to live such as 1h, or { ttl, models, tools }", allowed: ["ttl", "models", "tools"]) else {
            return nil
        }
        var read = FieldReader(fields)
        let ttl = read("ttl") { duration($0, at: $1) }
        let models = read("models") { boolean($0, at: $1) }
        let tools = read("tools") { boolean($0, at: $1) }
        if read.failed { return nil }
        return CachePolicy(ttl: ttl ?? CachePolicy().ttl, models: models ?? true, tools: tools ?? true)
    }

    private func boolean(_ node: YAMLNode, at path: String) -> Bool? {
        guard let value = node.booleanValue else {
            context.error(path, node: node, "expected true or false, found \(node.found)")
            return nil
        }
        return value
    }
}
