/// Limits on what a run, a step or an agent may spend: tokens (input, output, both), US dollars,
/// tool calls and wall time. Every limit is optional; a budget with none limits nothing.
///
/// A budget is checked before every model call and every tool call with an estimate, and charged
/// after each with what was actually spent; reaching a limit stops the run (status
/// `limit_exceeded`, with its state so far and the reason). A ``SoftLimit`` acts earlier.
///
/// ```swift
/// var limits = RunLimits()
/// limits.budget = Budget(maxTokens: 200_000, maxCostUSD: 2, soft: SoftLimit(share: 0.8, action: .downgrade))
/// ```
public struct Budget: Sendable, Hashable {
    public var maxInputTokens: Int?
    public var maxOutputTokens: Int?
    /// Input plus output tokens.
    public var maxTokens: Int?
    public var maxCostUSD: Double?
    public var maxToolCalls: Int?
    /// From the run's start (parked time included) to now.
    public var maxWallTime: Duration?
    public var soft: SoftLimit?

    public init(
        maxInputTokens: Int? = nil, maxOutputTokens: Int? = nil, maxTokens: Int? = nil, maxCostUSD: Double? = nil, maxToolCalls: Int? = nil,
        maxWallTime: Duration? = nil, soft: SoftLimit? = nil
    ) {
        self.maxInputTokens = maxInputTokens
        self.maxOutputTokens = maxOutputTokens
        self.maxTokens = maxTokens
        self.maxCostUSD = maxCostUSD
        self.maxToolCalls = maxToolCalls
        self.maxWallTime = maxWallTime
        self.soft = soft
    }

    /// No limits.
    public static let unlimited = Budget()

    /// True when no limit is set.
    public var isUnlimited: Bool {
        maxInputTokens == nil && maxOutputTokens == nil && maxTokens == nil && maxCostUSD == nil && maxToolCalls == nil && maxWallTime == nil
    }

    /// This budget with every limit multiplied by `factor` (`nil` or 1: unchanged), as granted
    /// extensions leave it.
    public func scaled(by factor: Double?) -> Budget {
        guard let factor, factor != 1 else { return self }
        func scale(_ limit: Int?) -> Int? { limit.map { Int((Double($0) * factor).rounded()) } }
        var scaled = self
        scaled.maxInputTokens = scale(maxInputTokens)
        scaled.maxOutputTokens = scale(maxOutputTokens)
        scaled.maxTokens = scale(maxTokens)
        scaled.maxCostUSD = maxCostUSD.map { $0 * factor }
        scaled.maxToolCalls = scale(maxToolCalls)
        scaled.maxWallTime = maxWallTime.map { $0 * factor }
        return scaled
    }

    /// The limits as `(name, limit, spent)` for `spending`: what the checks compare.
    func measures(_ spending: Spending) -> [(limit: String, allowed: Double, used: Double)] {
        var measures: [(String, Double, Double)] = []
        if let maxInputTokens { measures.append(("max_input_tokens", Double(maxInputTokens), Double(spending.inputTokens))) }
        if let maxOutputTokens { measures.append(("max_output_tokens", Double(maxOutputTokens), Double(spending.outputTokens))) }
        if let maxTokens { measures.append(("max_tokens", Double(maxTokens), Double(spending.tokens))) }
        if let maxCostUSD { measures.append(("max_cost_usd", maxCostUSD, spending.costUSD)) }
        if let maxToolCalls { measures.append(("max_tool_calls", Double(maxToolCalls), Double(spending.toolCalls))) }
        return measures
    }

    /// The first limit that `spent` plus `estimate` would pass, with what to say about it.
    func refusal(spent: Spending, estimate: Spending, elapsed: Duration?) -> BudgetRefusal? {
        if let maxWallTime, let elapsed, elapsed > maxWallTime {
            return BudgetRefusal(limit: "max_wall_time", detail: "\(Self.seconds(elapsed)) s since the run started, \(Self.seconds(maxWallTime)) s allowed")
        }
        let after = spent + estimate
        for measure in measures(after) where measure.used > measure.allowed {
            let before = measures(spent).first { $0.limit == measure.limit }?.used ?? 0
            return BudgetRefusal(limit: measure.limit, detail: "\(Self.amount(before, measure.limit)) spent and about \(Self.amount(measure.used - before, measure.limit)) more needed, \(Self.amount(measure.allowed, measure.limit)) allowed")
        }
        return nil
    }

    /// The limits whose soft share `spent` has reached.
    func softLimitsReached(_ spent: Spending) -> [(limit: String, allowed: Double, used: Double)] {
        guard let soft else { return [] }
        return measures(spent).filter { $0.used >= $0.allowed * soft.share }
    }

    /// What remains of each limit after `spent` (`nil` for no limit), as prompt templates see it.
    func remaining(after spent: Spending, elapsed: Duration?) -> JSON {
        var members: [String: JSON] = [:]
        if let maxTokens { members["tokens"] = .int(max(0, maxTokens - spent.tokens)) }
        if let maxInputTokens { members["input_tokens"] = .int(max(0, maxInputTokens - spent.inputTokens)) }
        if let maxOutputTokens { members["output_tokens"] = .int(max(0, maxOutputTokens - spent.outputTokens)) }
        if let maxCostUSD { members["cost_usd"] = .double(max(0, maxCostUSD - spent.costUSD)) }
        if let maxToolCalls { members["tool_calls"] = .int(max(0, maxToolCalls - spent.toolCalls)) }
        if let maxWallTime, let elapsed { members["seconds"] = .double(max(0, (maxWallTime - elapsed).seconds)) }
        return .object(members)
    }

    /// The budget as data, for events and the workflow's content hash.
    public var json: JSON {
        var members: [String: JSON] = [:]
        if let maxInputTokens { members["max_input_tokens"] = .int(maxInputTokens) }
        if let maxOutputTokens { members["max_output_tokens"] = .int(maxOutputTokens) }
        if let maxTokens { members["max_tokens"] = .int(maxTokens) }
        if let maxCostUSD { members["max_cost_usd"] = .double(maxCostUSD) }
        if let maxToolCalls { members["max_tool_calls"] = .int(maxToolCalls) }
        if let maxWallTime { members["max_wall_time_ms"] = .int(Int(maxWallTime.seconds * 1000)) }
        if let soft { members["soft_limit"] = soft.json }
        return .object(members)
    }

    static func amount(_ value: Double, _ limit: String) -> String {
        limit == "max_cost_usd" ? "$" + AgentBudget.dollars(value) : String(Int(value.rounded()))
    }

    static func seconds(_ duration: Duration) -> String { String(format: "%.1f", duration.seconds) }
}

/// A limit a call would pass, and what to say about it.
struct BudgetRefusal: Sendable, Hashable {
    var limit: String
    var detail: String
}
