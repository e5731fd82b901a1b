/// A tool as a model is offered it: its name, what it is for, and the JSON Schema of its arguments.
public struct ModelTool: Sendable, Hashable {
    public var name: String
    public var description: String
    /// The JSON Schema of the arguments (an object schema).
    public var parameters: JSON

    public init(name: String, description: String, parameters: JSON) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    /// The tool of `contract`, as a model sees it.
    public init(_ contract: ToolContract) {
        self.init(name: contract.name, description: contract.description, parameters: contract.inputSchema)
    }

    /// `{"name", "description", "parameters"}`.
    public var json: JSON { ["name": .string(name), "description": .string(description), "parameters": parameters] }
}
