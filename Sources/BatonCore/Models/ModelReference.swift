/// Names a model: `PROVIDER:MODEL`, as in `openai:gpt-4.1-mini`, `anthropic:claude-sonnet-4-5`,
/// `ollama:llama3.2`, `scripted:FILE`, or `openai-compatible:MODEL@URL` for any server that speaks
/// the OpenAI Chat Completions API at base URL `URL`.
public struct ModelReference: Sendable, Hashable, CustomStringConvertible {
    /// `openai`, `anthropic`, `ollama`, `openai-compatible`, `scripted`, …
    public var provider: String
    /// The provider's name for the model (for `scripted`, the script's file).
    public var model: String
    /// For `openai-compatible`: the base URL, e.g. `http://localhost:8000/v1`.
    public var baseURL: String?

    public init(provider: String, model: String, baseURL: String? = nil) {
        self.provider = provider
        self.model = model
        self.baseURL = baseURL
    }

    /// Parses `PROVIDER:MODEL` or `openai-compatible:MODEL@URL`.
    public init(parsing text: String) throws(ModelError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw ModelError.unknownModel(reference: text, reason: "write PROVIDER:MODEL, e.g. openai:gpt-4.1-mini or anthropic:claude-sonnet-4-5")
        }
        let provider = String(text[..<colon])
        var model = String(text[text.index(after: colon)...])
        guard !provider.isEmpty, !model.isEmpty else {
            throw ModelError.unknownModel(reference: text, reason: "both the provider and the model must be named (PROVIDER:MODEL)")
        }
        var baseURL: String?
        if provider == "openai-compatible" {
            guard let at = model.firstIndex(of: "@"), model.index(after: at) < model.endIndex, at > model.startIndex else {
                throw ModelError.unknownModel(reference: text, reason: "write openai-compatible:MODEL@URL, e.g. openai-compatible:qwen2.5@http://localhost:8000/v1")
            }
            baseURL = String(model[model.index(after: at)...])
            model = String(model[..<at])
        }
        self.init(provider: provider, model: model, baseURL: baseURL)
    }

    public var description: String {
        if let baseURL { return "\(provider):\(model)@\(baseURL)" }
        return "\(provider):\(model)"
    }
}
