import MCP

/// `tools/list`, its result kept as a raw value: the client reads each tool itself, so that members
/// the SDK's `Tool` type does not know (or gets wrong) reach the caller as the server sent them.
enum ListToolsMethod: MCP.Method {
    static let name = ListTools.name
    typealias Parameters = ListTools.Parameters
    typealias Result = MCP.Value
}

/// `tools/call`, its result kept as a raw value, so that content blocks of any type come through.
enum CallToolMethod: MCP.Method {
    static let name = CallTool.name
    typealias Parameters = CallTool.Parameters
    typealias Result = MCP.Value
}
