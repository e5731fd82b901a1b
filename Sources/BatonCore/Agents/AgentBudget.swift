/// What one agent's conversation has spent, against its limits: checked before each model call
/// with an estimate, and charged after it with what the provider reported.
struct AgentBudget: Sendable {
    var limits: AgentLimits
    var turns = 0
    var toolCalls = 0
    var usage = TokenUsage.zero
    var costUSD = 0.0
    /// Some model call had no known price: ``costUSD`` is a lower bound.
    var costUnknown = false
    /// The soft limits already reached, each acted on once.
    private var softReached: Set<String> = []

    init(limits: AgentLimits) {
        self.limits = limits
    }

    /// The budget of an agent called by this one: its own limits, capped by what remains here.
    func nested(_ limits: AgentLimits) -> AgentBudget {
        var capped = limits
        if let maxTokens = self.limits.maxTokens { capped.maxTokens = min(limits.maxTokens ?? .max, max(0, maxTokens - usage.total)) }
        if let maxCost = self.limits.maxCostUSD { capped.maxCostUSD = min(limits.maxCostUSD ?? .infinity, max(0, maxCost - costUSD)) }
        return AgentBudget(limits: capped)
    }

    /// The budget after a hand-off to an agent with `limits`: spending so far continues, under the
    /// stricter of both agents' limits.
    func handedOff(to limits: AgentLimits) -> AgentBudget {
        var budget = self
        budget.limits.maxTurns = min(self.limits.maxTurns, limits.maxTurns)
        budget.limits.maxTokens = [self.limits.maxTokens, limits.maxTokens].compactMap { $0 }.min()
        budget.limits.maxCostUSD = [self.limits.maxCostUSD, limits.maxCostUSD].compactMap { $0 }.min()
        budget.limits.maxToolCalls = [self.limits.maxToolCalls, limits.maxToolCalls].compactMap { $0 }.min()
        budget.limits.maxInputTokens = [self.limits.maxInputTokens, limits.maxInputTokens].compactMap { $0 }.min()
        budget.limits.maxOutputTokens = [self.limits.maxOutputTokens, limits.maxOutputTokens].compactMap { $0 }.min()
        budget.limits.soft = self.limits.soft ?? limits.soft
        return budget
    }

    /// Adds what a called agent spent.
    mutating func charge(_ other: AgentBudget) {
        usage += other.usage
        costUSD += other.costUSD
        costUnknown = costUnknown || other.costUnknown
    }

    /// Adds one model call's usage and cost.
    mutating func charge(_ usage: TokenUsage, cost: Double?) {
        self.usage += usage
        if let cost { costUSD += cost } else { costUnknown = true }
    }

    /// What the conversation has spent, as budgets count it.
    var spending: Spending {
        Spending(inputTokens: usage.input, outputTokens: usage.output, costUSD: costUSD, costUnknown: costUnknown, modelCalls: turns, toolCalls: toolCalls)
    }

    /// The limit a model call would break, given an estimate of its tokens and cost.
    func refusal(estimate: Spending) -> (limit: String, detail: String)? {
        if turns >= limits.maxTurns {
            return ("max_turns", "\(turns) model calls made, \(limits.maxTurns) allowed")
        }
        return limits.budget.refusal(spent: spending, estimate: estimate, elapsed: nil).map { ($0.limit, $0.detail) }
    }

    /// The limit that spending so far has broken (a call can cost more than its estimate).
    var overrun: (limit: String, detail: String)? {
        limits.budget.refusal(spent: spending, estimate: .zero, elapsed: nil).map { ($0.limit, $0.detail) }
    }

    /// The soft limits of the agent's own limits that spending has reached since the last call.
    mutating func newSoftLimits() -> [SoftLimitReached] {
        guard let soft = limits.soft else { return [] }
        return limits.budget.softLimitsReached(spending).filter { softReached.insert($0.limit).inserted }.map {
            SoftLimitReached(scope: "agent", limit: $0.limit, allowed: $0.allowed, used: $0.used, action: soft.action)
        }
    }

    /// The limit one more tool call would break.
    var toolCallRefusal: (limit: String, detail: String)? {
        guard let maxToolCalls = limits.maxToolCalls, toolCalls >= maxToolCalls else { return nil }
        return ("max_tool_calls", "\(toolCalls) tool calls made, \(maxToolCalls) allowed")
    }

    var json: JSON {
        var members: [String: JSON] = ["turns": .int(turns), "tool_calls": .int(toolCalls), "usage": usage.json, "cost_usd": .double(costUSD)]
        if costUnknown { members["cost_incomplete"] = true }
        return .object(members)
    }

    /// Dollars with six decimals, without Foundation's formatting.
    static func dollars(_ value: Double) -> String {
        let micros = Int((value * 1_000_000).rounded())
        let whole = micros / 1_000_000
        let fraction = String(micros % 1_000_000)
        return "\(whole)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
