/// What a model's tokens cost, in US dollars per million tokens.
public struct ModelPrice: Sendable, Hashable {
    public var input: Double
    public var output: Double
    /// Input tokens served from the provider's prompt cache (`nil`: the input price).
    public var cachedInput: Double?

    public init(input: Double, output: Double, cachedInput: Double? = nil) {
        self.input = input
        self.output = output
        self.cachedInput = cachedInput
    }

    /// The cost of `usage`, in US dollars.
    public func cost(of usage: TokenUsage) -> Double {
        let cached = min(max(usage.cached, 0), usage.input)
        let uncached = usage.input - cached
        return (Double(uncached) * input + Double(cached) * (cachedInput ?? input) + Double(usage.output) * output) / 1_000_000
    }

    /// `{"input", "output", "cached_input"}`.
    public var json: JSON {
        var members: [String: JSON] = ["input": .double(input), "output": .double(output)]
        if let cachedInput { members["cached_input"] = .double(cachedInput) }
        return .object(members)
    }
}
