import BatonCore

/// One tool an ``MCPToolServer`` offers: its descriptor and what answers a call.
///
/// ```swift
/// let echo = MCPServedTool(name: "echo", description: "Answers its arguments.", inputSchema: ["type": "object"]) { arguments in
///     .result(arguments)
/// }
/// ```
public struct MCPServedTool: Sendable {
    /// The tool's name, unique on the server.
    public var name: String
    /// What the tool does, for the model that picks it.
    public var description: String
    /// The JSON Schema of the arguments (an object schema).
    public var inputSchema: JSON
    /// The JSON Schema of the structured result, if the tool promises one.
    public var outputSchema: JSON?
    /// Answers a call with its arguments. A thrown error answers `isError: true` with the error's text.
    public var handler: @Sendable (JSON) async throws -> MCPToolAnswer

    /// A tool named `name` whose calls `handler` answers.
    public init(
        name: String, description: String, inputSchema: JSON = ["type": "object"], outputSchema: JSON? = nil,
        handler: @escaping @Sendable (JSON) async throws -> MCPToolAnswer
    ) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.handler = handler
    }
}
