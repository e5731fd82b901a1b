/// A bounded worker with an explicit role: its instructions, its model, the only tools it may use,
/// the shape of its answer and its limits.
///
/// Its templates (``instructions`` and ``prompt``) are Mustache over `state` (the run's state),
/// `input` (the agent's input: the `agent` node's input mapping), `run.input` (the run's input),
/// and inside a `map`, `item` and `index`.
public struct Agent: Sendable {
    /// The agent's name: how nodes, hand-offs and other agents refer to it.
    public var name: String
    /// What the agent is for, in a line: leads its system prompt, and describes it to the agents
    /// that may call it as a tool or hand off to it.
    public var role: String
    /// The system prompt, a Mustache template. Its content hash is the prompt's version.
    public var instructions: Template
    /// The first user message, a Mustache template (`nil`: the input itself, as text when it is a
    /// string and as JSON otherwise).
    public var prompt: Template?
    /// The model, or a router of models from cheap to expensive.
    public var model: ModelChoice
    /// The only tools the agent may call, by name. A call of any other tool is refused, and the
    /// refusal goes back to the model.
    public var tools: [String]
    /// The JSON Schema of the final answer. When set, the answer must be JSON that conforms; an
    /// answer that does not is sent back with its errors, at most ``repairAttempts`` times.
    public var outputSchema: JSON?
    public var repairAttempts: Int
    public var limits: AgentLimits
    /// Agents this one may transfer the conversation to (each offered as a `transfer_to_NAME` tool).
    public var handoffs: [String]
    /// Agents this one may call as tools (each offered under its own name): the called agent starts
    /// a conversation of its own on the given input and returns its final answer.
    public var agentTools: [String]
    /// The JSON Schema of the arguments another agent passes when it calls this one as a tool
    /// (`nil`: ``defaultInputSchema``, one `request` text).
    public var inputSchema: JSON?
    /// Sampling parameters of every model call.
    public var temperature: Double?
    public var maxOutputTokens: Int?
    public var seed: Int?
    /// Opt-in cache of model answers and of pure tools' results (`nil`: no caching).
    public var cache: CachePolicy?
    /// Retries of a failed model call, before falling back to the next model of a router.
    public var retry: ModelRetryPolicy
    /// How long one model call may take.
    public var modelTimeout: Duration
    /// The checks on what the agent is given, what tool results it reads, what it answers.
    public var guardrails: GuardrailSet

    public init(
        name: String, role: String = "", instructions: Template, prompt: Template? = nil, model: ModelChoice, tools: [String] = [],
        outputSchema: JSON? = nil, repairAttempts: Int = 2, limits: AgentLimits = AgentLimits(), handoffs: [String] = [],
        agentTools: [String] = [], inputSchema: JSON? = nil, temperature: Double? = nil, maxOutputTokens: Int? = nil, seed: Int? = nil, cache: CachePolicy? = nil,
        retry: ModelRetryPolicy = ModelRetryPolicy(), modelTimeout: Duration = .seconds(120), guardrails: GuardrailSet = .empty
    ) {
        self.name = name
        self.role = role
        self.instructions = instructions
        self.prompt = prompt
        self.model = model
        self.tools = tools
        self.outputSchema = outputSchema
        self.repairAttempts = repairAttempts
        self.limits = limits
        self.handoffs = handoffs
        self.agentTools = agentTools
        self.inputSchema = inputSchema
        self.temperature = temperature
        self.maxOutputTokens = maxOutputTokens
        self.seed = seed
        self.cache = cache
        self.retry = retry
        self.modelTimeout = modelTimeout
        self.guardrails = guardrails
    }

    /// What a caller passes an agent called as a tool, unless it says otherwise: one `request`.
    public static let defaultInputSchema: JSON = [
        "type": "object", "properties": ["request": ["type": "string", "description": "what you ask of this agent"]],
        "required": ["request"], "additionalProperties": false,
    ]

    /// The version of the agent's prompt: the first 16 hex digits of the SHA-256 of its role,
    /// instructions and prompt templates. Every model-request event carries it.
    public var promptVersion: String {
        let text = role + "\u{0}" + instructions.source + "\u{0}" + (prompt?.source ?? "")
        return String(Hash.sha256Hex(Array(text.utf8)).prefix(16))
    }
}

/// An agent's model: one reference, or a router.
public enum ModelChoice: Sendable {
    case model(ModelReference)
    case router(ModelRouter)

    /// The models in the order they are tried.
    public var references: [ModelReference] {
        switch self {
        case let .model(reference): return [reference]
        case let .router(router): return router.models
        }
    }

    /// The reference or the router's name, for events.
    public var json: JSON {
        switch self {
        case let .model(reference): return .string(reference.description)
        case let .router(router): return ["router": .string(router.name), "models": .array(router.models.map { .string($0.description) })]
        }
    }
}

/// How far one agent may go. A limit reached ends the agent's step with
/// ``AgentError/limitExceeded(agent:limit:detail:)``; its partial work stays in the events.
public struct AgentLimits: Sendable, Hashable {
    /// Model calls in one conversation (repairs and hand-offs included).
    public var maxTurns: Int
    /// Tokens (input plus output) over all the agent's model calls, called agents included.
    public var maxTokens: Int?
    /// Input tokens over all the agent's model calls, called agents included.
    public var maxInputTokens: Int?
    /// Output tokens over all the agent's model calls, called agents included.
    public var maxOutputTokens: Int?
    /// US dollars over all the agent's model calls, called agents included.
    public var maxCostUSD: Double?
    /// Tool calls in one conversation.
    public var maxToolCalls: Int?
    /// What happens at a share of these limits before they stop the agent.
    public var soft: SoftLimit?

    public init(
        maxTurns: Int = 10, maxTokens: Int? = nil, maxCostUSD: Double? = nil, maxToolCalls: Int? = nil, maxInputTokens: Int? = nil,
        maxOutputTokens: Int? = nil, soft: SoftLimit? = nil
    ) {
        self.maxTurns = maxTurns
        self.maxTokens = maxTokens
        self.maxCostUSD = maxCostUSD
        self.maxToolCalls = maxToolCalls
        self.maxInputTokens = maxInputTokens
        self.maxOutputTokens = maxOutputTokens
        self.soft = soft
    }

    /// The limits as a ``Budget``, for the checks budgets share.
    var budget: Budget {
        Budget(maxInputTokens: maxInputTokens, maxOutputTokens: maxOutputTokens, maxTokens: maxTokens, maxCostUSD: maxCostUSD, maxToolCalls: maxToolCalls, soft: soft)
    }

    public var json: JSON {
        var members: [String: JSON] = ["max_turns": .int(maxTurns)]
        if let maxTokens { members["max_tokens"] = .int(maxTokens) }
        if let maxInputTokens { members["max_input_tokens"] = .int(maxInputTokens) }
        if let maxOutputTokens { members["max_output_tokens"] = .int(maxOutputTokens) }
        if let maxCostUSD { members["max_cost_usd"] = .double(maxCostUSD) }
        if let maxToolCalls { members["max_tool_calls"] = .int(maxToolCalls) }
        if let soft { members["soft_limit"] = soft.json }
        return .object(members)
    }
}

/// How a failed model call is tried again: exponential backoff from `initialBackoff`, at most
/// `maxBackoff`, honouring a provider's `Retry-After` up to `maxRetryAfter`.
public struct ModelRetryPolicy: Sendable, Hashable {
    /// Attempts per model, the first included.
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// A longer `Retry-After` is not waited for: the next model of a router is tried instead.
    public var maxRetryAfter: Duration

    public init(maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(8), maxRetryAfter: Duration = .seconds(60)) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait before attempt `attempt + 1` after `error`, or `nil` when it should not be made.
    func delay(after error: ModelError, attempt: Int, random: Double) -> Duration? {
        guard error.isRetryable, attempt < maxAttempts else { return nil }
        if let retryAfter = error.retryAfter {
            return retryAfter <= maxRetryAfter ? retryAfter : nil
        }
        let exponential = initialBackoff * Double(1 << min(attempt - 1, 20))
        let capped = min(exponential, maxBackoff)
        // Full jitter between half and all of the backoff.
        return capped * (0.5 + random / 2)
    }
}
