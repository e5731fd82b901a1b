/// What a run, a step or an agent has spent: tokens, dollars, calls.
public struct Spending: Sendable, Hashable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var costUSD: Double
    /// Some model call had no known price: ``costUSD`` is a lower bound.
    public var costUnknown: Bool
    public var modelCalls: Int
    public var toolCalls: Int

    public init(inputTokens: Int = 0, outputTokens: Int = 0, costUSD: Double = 0, costUnknown: Bool = false, modelCalls: Int = 0, toolCalls: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.costUSD = costUSD
        self.costUnknown = costUnknown
        self.modelCalls = modelCalls
        self.toolCalls = toolCalls
    }

    public static let zero = Spending()

    public var tokens: Int { inputTokens + outputTokens }
    public var isZero: Bool { self == .zero }

    public static func + (lhs: Spending, rhs: Spending) -> Spending {
        Spending(
            inputTokens: lhs.inputTokens + rhs.inputTokens, outputTokens: lhs.outputTokens + rhs.outputTokens, costUSD: lhs.costUSD + rhs.costUSD,
            costUnknown: lhs.costUnknown || rhs.costUnknown, modelCalls: lhs.modelCalls + rhs.modelCalls, toolCalls: lhs.toolCalls + rhs.toolCalls
        )
    }

    public static func += (lhs: inout Spending, rhs: Spending) { lhs = lhs + rhs }

    /// One model call's usage and cost (`nil` when its price is unknown).
    public static func modelCall(_ usage: TokenUsage, cost: Double?) -> Spending {
        Spending(inputTokens: usage.input, outputTokens: usage.output, costUSD: cost ?? 0, costUnknown: cost == nil, modelCalls: 1)
    }

    /// One tool call.
    public static let toolCall = Spending(toolCalls: 1)

    /// `{"input_tokens", "output_tokens", "cost_usd", "model_calls", "tool_calls"}` (and `cost_incomplete`).
    public var json: JSON {
        var members: [String: JSON] = [
            "input_tokens": .int(inputTokens), "output_tokens": .int(outputTokens), "cost_usd": .double(costUSD),
            "model_calls": .int(modelCalls), "tool_calls": .int(toolCalls),
        ]
        if costUnknown { members["cost_incomplete"] = true }
        return .object(members)
    }

    /// Reads ``json`` back; missing members are zero.
    public init(json: JSON) {
        self.init(
            inputTokens: json["input_tokens"]?.intValue ?? 0, outputTokens: json["output_tokens"]?.intValue ?? 0,
            costUSD: json["cost_usd"]?.doubleValue ?? 0, costUnknown: json["cost_incomplete"]?.boolValue ?? false,
            modelCalls: json["model_calls"]?.intValue ?? 0, toolCalls: json["tool_calls"]?.intValue ?? 0
        )
    }
}
