import BatonCore

/// One tool of an MCP server as a Baton ``Tool``: called `SERVER.TOOL`, its contract built from
/// what the server says of it (schemas, annotations), its calls sent to the server.
struct MCPTool: Tool {
    let contract: ToolContract
    /// The tool's name on the server.
    let remoteName: String
    let source: MCPToolSource

    /// The contract of `descriptor` on `server`: input and output schemas as the server gives
    /// them; the effect from its annotations (read-only, then idempotent, else side-effecting,
    /// the MCP defaults); risk low for read-only tools, high for destructive ones, else medium.
    static func contract(for descriptor: MCPToolDescriptor, server: String, timeout: Duration) -> ToolContract {
        let annotations = descriptor.annotations
        let effect: ToolEffect
        if annotations?.readOnlyHint == true {
            effect = .readOnly
        } else if annotations?.idempotentHint == true {
            effect = .idempotent
        } else {
            effect = .sideEffecting
        }
        let risk: ToolRisk = effect == .readOnly ? .low : annotations?.destructiveHint == false ? .medium : .high
        let description = [descriptor.title, descriptor.description].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        return ToolContract(
            name: "\(server).\(descriptor.name)", description: description.isEmpty ? "Tool \(descriptor.name) of MCP server \(server)." : description,
            inputSchema: descriptor.inputSchema, outputSchema: descriptor.outputSchema, effect: effect, risk: risk, timeout: timeout
        )
    }

    /// Calls the tool on the server. A result the server marks `isError` is a failure the model
    /// can read; a failure to talk to the server keeps its code and whether a retry could help.
    /// The server's standard error lines written during the call become `mcp.stderr` events.
    func call(_ arguments: JSON, context: ToolContext) async throws -> JSON {
        let mark = source.stderrMark()
        defer {
            if let step = context.step {
                for line in source.stderr(since: mark) {
                    step.record(.mcpStderr, ["server": .string(source.configuration.name), "line": .string(line)])
                }
            }
        }
        let result: MCPToolResult
        do {
            // The tool box's timeout governs; the connection's is a backstop a little later.
            result = try await source.connection.call(tool: remoteName, arguments: arguments, timeout: contract.timeout + .seconds(1))
        } catch {
            throw ToolError.failed(tool: contract.name, code: "mcp_\(error.code)", message: error.message, retryable: error.retryable)
        }
        if result.isError {
            let text = result.text
            throw ToolError.failed(
                tool: contract.name, code: "tool_reported_error",
                message: text.isEmpty ? "the server reported an error without a message" : String(text.prefix(2_000)), retryable: false
            )
        }
        if let structured = result.structuredContent { return structured }
        // Without structured content: the text of a text-only answer, else the content blocks.
        if !result.content.isEmpty, result.content.allSatisfy({ $0["type"] == "text" }) { return .string(result.text) }
        return ["content": .array(result.content)]
    }
}

extension EventType {
    /// A line an MCP server wrote to its standard error while serving a call of the step.
    public static let mcpStderr: EventType = "mcp.stderr"
}
