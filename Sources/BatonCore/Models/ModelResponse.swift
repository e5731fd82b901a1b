/// Why a model stopped generating.
public struct FinishReason: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    /// A complete answer (or a stop sequence).
    public static let stop: FinishReason = "stop"
    /// The token limit cut the answer short.
    public static let length: FinishReason = "length"
    /// The model wants tools called.
    public static let toolCalls: FinishReason = "tool_calls"
    /// The provider withheld content.
    public static let contentFilter: FinishReason = "content_filter"
}

/// Tokens a model call used. ``input`` counts every prompt token, those served from the
/// provider's prompt cache included; ``cached`` is that cached part (billed at a lower price).
public struct TokenUsage: Sendable, Hashable {
    public var input: Int
    public var output: Int
    public var cached: Int

    public init(input: Int = 0, output: Int = 0, cached: Int = 0) {
        self.input = input
        self.output = output
        self.cached = cached
    }

    public static let zero = TokenUsage()
    public var total: Int { input + output }

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(input: lhs.input + rhs.input, output: lhs.output + rhs.output, cached: lhs.cached + rhs.cached)
    }

    public static func += (lhs: inout TokenUsage, rhs: TokenUsage) { lhs = lhs + rhs }

    /// `{"input", "output", "cached"}`.
    public var json: JSON { ["input": .int(input), "output": .int(output), "cached": .int(cached)] }

    public init(json: JSON) {
        self.init(input: json["input"]?.intValue ?? 0, output: json["output"]?.intValue ?? 0, cached: json["cached"]?.intValue ?? 0)
    }
}

/// A model's answer to one request.
public struct ModelResponse: Sendable, Hashable {
    /// The text of the answer (empty when the model only called tools).
    public var text: String
    /// The tools the model wants called, in its order.
    public var toolCalls: [ModelToolCall]
    public var finishReason: FinishReason
    public var usage: TokenUsage
    /// The provider's name for the model that answered, when it says.
    public var model: String?
    /// How long the call took, in milliseconds, as measured by the provider client.
    public var latencyMilliseconds: Int

    public init(
        text: String, toolCalls: [ModelToolCall] = [], finishReason: FinishReason? = nil, usage: TokenUsage = .zero,
        model: String? = nil, latencyMilliseconds: Int = 0
    ) {
        self.text = text
        self.toolCalls = toolCalls
        self.finishReason = finishReason ?? (toolCalls.isEmpty ? .stop : .toolCalls)
        self.usage = usage
        self.model = model
        self.latencyMilliseconds = latencyMilliseconds
    }

    /// The assistant message that the response adds to the conversation.
    public var message: ChatMessage { .assistant(text, toolCalls: toolCalls) }

    /// The response as events and journals record it.
    public var json: JSON {
        var members: [String: JSON] = [
            "text": .string(text), "finish_reason": .string(finishReason.rawValue), "usage": usage.json,
            "latency_ms": .int(latencyMilliseconds),
        ]
        if !toolCalls.isEmpty { members["tool_calls"] = .array(toolCalls.map(\.json)) }
        if let model { members["model"] = .string(model) }
        return .object(members)
    }

    /// Reads a response written by ``json`` (a journaled or cached one).
    public init(json: JSON) throws(ModelError) {
        guard case .object = json else {
            throw ModelError.malformedResponse(provider: "journal", excerpt: "a response that is not an object: \(json.canonicalString.prefix(120))")
        }
        var calls: [ModelToolCall] = []
        for call in json["tool_calls"]?.arrayValue ?? [] { calls.append(try ModelToolCall(json: call)) }
        self.init(
            text: json["text"]?.stringValue ?? "", toolCalls: calls,
            finishReason: json["finish_reason"]?.stringValue.map(FinishReason.init(rawValue:)),
            usage: json["usage"].map(TokenUsage.init(json:)) ?? .zero, model: json["model"]?.stringValue,
            latencyMilliseconds: json["latency_ms"]?.intValue ?? 0
        )
    }
}
