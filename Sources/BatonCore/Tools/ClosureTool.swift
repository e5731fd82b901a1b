/// A tool from a contract and a closure over JSON: for tools whose schemas are written by hand
/// or come from elsewhere (a YAML file, an MCP server, a built-in).
///
/// ```swift
/// let echo = ClosureTool(ToolContract(name: "echo", description: "Returns its arguments.", effect: .pure)) { arguments, _ in
///     arguments
/// }
/// ```
public struct ClosureTool: Tool {
    public let contract: ToolContract
    private let body: @Sendable (JSON, ToolContext) async throws -> JSON

    public init(_ contract: ToolContract, _ body: @escaping @Sendable (JSON, ToolContext) async throws -> JSON) {
        self.contract = contract
        self.body = body
    }

    public func call(_ arguments: JSON, context: ToolContext) async throws -> JSON {
        try await body(arguments, context)
    }
}
