/// Prices of models, looked up by model reference, so that every model call's cost is known.
///
/// A price is found by the whole reference (`openai:gpt-4.1-mini`), then by the model's name
/// (`gpt-4.1-mini`), then by the longest listed name that the model's name starts with, so that a
/// dated version (`gpt-4.1-mini-2025-04-14`) costs what its family costs. A provider listed with a
/// `*` (`ollama:*`) prices all its models. A model with no price has no cost (recorded as unknown).
public struct PriceTable: Sendable {
    public private(set) var prices: [String: ModelPrice]

    public init(_ prices: [String: ModelPrice] = [:]) {
        self.prices = prices
    }

    /// The table with `other`'s prices added, replacing any of the same name.
    public func merging(_ other: PriceTable) -> PriceTable {
        PriceTable(prices.merging(other.prices) { _, new in new })
    }

    /// The price of `reference`'s model, if listed.
    public func price(for reference: ModelReference) -> ModelPrice? {
        if let price = prices[reference.description] ?? prices["\(reference.provider):\(reference.model)"] ?? prices[reference.model] {
            return price
        }
        var best: (length: Int, price: ModelPrice)?
        for (name, price) in prices where reference.model.hasPrefix(name) && name.count > (best?.length ?? 0) && !name.contains(":") {
            best = (name.count, price)
        }
        return best?.price ?? prices["\(reference.provider):*"]
    }

    /// The cost of `usage` on `reference`'s model in US dollars, or `nil` when its price is unknown.
    public func cost(of usage: TokenUsage, on reference: ModelReference) -> Double? {
        price(for: reference)?.cost(of: usage)
    }

    /// Reads a table written as `{"MODEL": {"input": USD, "output": USD, "cached_input": USD}}`
    /// (USD per million tokens), as in a `prices:` section or a prices file.
    public init(json: JSON) throws(PriceTableError) {
        guard let members = json.objectValue else { throw PriceTableError(message: "prices must be a mapping of model names to prices") }
        var prices: [String: ModelPrice] = [:]
        for (name, entry) in members {
            guard let input = entry["input"]?.doubleValue, let output = entry["output"]?.doubleValue, input >= 0, output >= 0 else {
                throw PriceTableError(message: "the price of '\(name)' needs 'input' and 'output' in USD per million tokens (numbers, not negative)")
            }
            let cached = entry["cached_input"]?.doubleValue
            if let cached, cached < 0 { throw PriceTableError(message: "the price of '\(name)' has a negative 'cached_input'") }
            let unknown = Set(entry.objectValue?.keys.map { $0 } ?? []).subtracting(["input", "output", "cached_input"])
            if let extra = unknown.sorted().first {
                throw PriceTableError(message: "the price of '\(name)' has an unknown field '\(extra)' (expected input, output, cached_input)")
            }
            prices[name] = ModelPrice(input: input, output: output, cachedInput: cached)
        }
        self.init(prices)
    }

    /// List prices of common models (USD per million tokens, as the providers published them in
    /// 2025; override them with a prices file when they change). Local servers cost nothing.
    public static let standard = PriceTable([
        "gpt-5": ModelPrice(input: 1.25, output: 10, cachedInput: 0.125),
        "gpt-5-mini": ModelPrice(input: 0.25, output: 2, cachedInput: 0.025),
        "gpt-5-nano": ModelPrice(input: 0.05, output: 0.4, cachedInput: 0.005),
        "gpt-4.1": ModelPrice(input: 2, output: 8, cachedInput: 0.5),
        "gpt-4.1-mini": ModelPrice(input: 0.4, output: 1.6, cachedInput: 0.1),
        "gpt-4.1-nano": ModelPrice(input: 0.1, output: 0.4, cachedInput: 0.025),
        "gpt-4o": ModelPrice(input: 2.5, output: 10, cachedInput: 1.25),
        "gpt-4o-mini": ModelPrice(input: 0.15, output: 0.6, cachedInput: 0.075),
        "o3": ModelPrice(input: 2, output: 8, cachedInput: 0.5),
        "o4-mini": ModelPrice(input: 1.1, output: 4.4, cachedInput: 0.275),
        "claude-opus-4-1": ModelPrice(input: 15, output: 75, cachedInput: 1.5),
        "claude-opus-4-5": ModelPrice(input: 5, output: 25, cachedInput: 0.5),
        "claude-sonnet-4-5": ModelPrice(input: 3, output: 15, cachedInput: 0.3),
        "claude-sonnet-4": ModelPrice(input: 3, output: 15, cachedInput: 0.3),
        "claude-haiku-4-5": ModelPrice(input: 1, output: 5, cachedInput: 0.1),
        "claude-3-5-haiku": ModelPrice(input: 0.8, output: 4, cachedInput: 0.08),
        "ollama:*": ModelPrice(input: 0, output: 0),
        "scripted:*": ModelPrice(input: 0, output: 0),
    ])
}

/// A prices table that cannot be read.
public struct PriceTableError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
