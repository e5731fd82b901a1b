/// Which tools a model may or must call in its answer.
public enum ToolChoice: Sendable, Hashable {
    /// The model decides (the default when tools are offered).
    case auto
    /// No tool calls: answer in text.
    case none
    /// At least one tool call.
    case required
    /// A call of this tool.
    case tool(String)

    /// `"auto"`, `"none"`, `"required"` or `{"tool": NAME}`.
    public var json: JSON {
        switch self {
        case .auto: return "auto"
        case .none: return "none"
        case .required: return "required"
        case let .tool(name): return ["tool": .string(name)]
        }
    }
}

/// The shape the model's text answer must have.
public enum ResponseFormat: Sendable, Hashable {
    /// Free text.
    case text
    /// Any JSON object.
    case jsonObject
    /// JSON that conforms to `schema`; `name` names the schema for providers that want one, and
    /// `strict` asks the provider to enforce it while generating where it can.
    case jsonSchema(name: String, schema: JSON, strict: Bool)

    public var json: JSON {
        switch self {
        case .text: return ["type": "text"]
        case .jsonObject: return ["type": "json_object"]
        case let .jsonSchema(name, schema, strict):
            return ["type": "json_schema", "name": .string(name), "schema": schema, "strict": .bool(strict)]
        }
    }
}

/// One request to a model: the conversation so far, the tools it may call, and the parameters.
///
/// ``model`` is the provider's own name for the model (`gpt-4.1-mini`), not a Baton model
/// reference: the provider was already chosen by the reference.
public struct ModelRequest: Sendable, Hashable {
    public var model: String
    public var messages: [ChatMessage]
    public var tools: [ModelTool]
    /// `nil`: the provider's default (``ToolChoice/auto`` when tools are offered).
    public var toolChoice: ToolChoice?
    public var responseFormat: ResponseFormat?
    public var temperature: Double?
    public var maxTokens: Int?
    public var stop: [String]
    public var seed: Int?
    /// The agent making the request. Not sent to providers: scripted models pick their script by
    /// it, and events name it.
    public var agent: String?

    public init(
        model: String, messages: [ChatMessage], tools: [ModelTool] = [], toolChoice: ToolChoice? = nil,
        responseFormat: ResponseFormat? = nil, temperature: Double? = nil, maxTokens: Int? = nil,
        stop: [String] = [], seed: Int? = nil, agent: String? = nil
    ) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.toolChoice = toolChoice
        self.responseFormat = responseFormat
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.stop = stop
        self.seed = seed
        self.agent = agent
    }

    /// The parameters besides messages and tools, as events record them (absent ones left out).
    public var parametersJSON: JSON {
        var members: [String: JSON] = ["model": .string(model)]
        if let toolChoice { members["tool_choice"] = toolChoice.json }
        if let responseFormat { members["response_format"] = responseFormat.json }
        if let temperature { members["temperature"] = .double(temperature) }
        if let maxTokens { members["max_tokens"] = .int(maxTokens) }
        if !stop.isEmpty { members["stop"] = .array(stop.map(JSON.string)) }
        if let seed { members["seed"] = .int(seed) }
        return .object(members)
    }

    /// The whole request as one value: ``parametersJSON`` plus `messages` and `tools`. Its
    /// canonical text identifies the request (the response cache keys on it).
    public var json: JSON {
        guard case var .object(members) = parametersJSON else { return parametersJSON }
        members["messages"] = .array(messages.map(\.json))
        if !tools.isEmpty { members["tools"] = .array(tools.map(\.json)) }
        return .object(members)
    }
}
