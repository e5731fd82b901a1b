import BatonCore

/// Structured output on the Anthropic Messages API, which has no `response_format`: the way its
/// documentation gives for JSON output is a tool whose `input_schema` is the answer's schema, with
/// `tool_choice` making the model call it. The tool's input is the answer.
///
/// - The tool is named after the schema (`ToolName.sanitized`), renamed if an offered tool has
///   that name; the system prompt says to answer by calling it.
/// - Without other tools the call is forced (`{"type": "tool"}`). With other tools the model must
///   call one of them or the answer tool (`{"type": "any"}`), so that it can still use tools
///   before it answers; a ``ToolChoice`` the request sets explicitly is kept.
/// - A schema whose root is not an object (Anthropic requires one) is wrapped as
///   `{"answer": SCHEMA}` and unwrapped from the answer.
/// - In the response the call becomes the text of the answer (JSON) and is removed from the tool
///   calls; when it was the only call the finish reason is `stop`.
struct AnthropicStructuredOutput: Sendable {
    let toolName: String
    let inputSchema: JSON
    /// Whether the schema is wrapped in `{"answer": …}`.
    let wrapsAnswer: Bool

    /// The plan for `format`, or `nil` for free text.
    init?(_ format: ResponseFormat?, tools: [ModelTool]) {
        let name: String
        let schema: JSON
        switch format {
        case nil, .text?: return nil
        case .jsonObject?: (name, schema) = ("json_answer", ["type": "object"])
        case let .jsonSchema(schemaName, jsonSchema, _)?: (name, schema) = (ToolName.sanitized(schemaName), jsonSchema)
        }
        var toolName = name
        while tools.contains(where: { $0.name == toolName }) { toolName = String(toolName.prefix(56)) + "_answer" }
        self.toolName = toolName
        let isObject = schema["type"]?.stringValue == "object" || (schema["type"] == nil && schema["properties"] != nil)
        wrapsAnswer = !isObject
        inputSchema = isObject ? schema : ["type": "object", "properties": ["answer": schema], "required": ["answer"]]
    }

    /// The answer tool, as Anthropic's `tools` lists it.
    var tool: JSON {
        ["name": .string(toolName), "description": "Gives the final answer. Its input is the answer.", "input_schema": inputSchema]
    }

    /// The sentence added to the system prompt.
    var instruction: String {
        "Give your final answer by calling the tool `\(toolName)` with the answer as its input, not as text."
    }

    /// The `tool_choice` for a request that asks `requested` and offers other tools or not.
    func toolChoice(for requested: ToolChoice?, hasOtherTools: Bool) -> JSON {
        switch requested {
        case nil, .auto?: return hasOtherTools ? ["type": "any"] : ["type": "tool", "name": .string(toolName)]
        case .required?: return ["type": "any"]
        case .none?: return ["type": "tool", "name": .string(toolName)]
        case let .tool(name)?: return ["type": "tool", "name": .string(name)]
        }
    }

    /// The answer's text from the tool's input as JSON text (unwrapped when wrapped; the text as
    /// it came when it is not JSON, so that the caller's validation reports it).
    func answer(fromInputText text: String) -> String {
        guard wrapsAnswer else { return text }
        guard let input = try? JSON(parsing: text), let answer = input["answer"] else { return text }
        return answer.canonicalString
    }

    /// The answer's text from the tool's input.
    func answer(fromInput input: JSON) -> String {
        guard wrapsAnswer else { return input.canonicalString }
        return (input["answer"] ?? .null).canonicalString
    }
}
