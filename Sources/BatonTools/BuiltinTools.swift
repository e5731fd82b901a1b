import BatonCore

/// The tools that come with Baton, ready to register.
///
/// ```swift
/// let tools = try ToolBox(BuiltinTools.all(sandboxRoot: "workspace", allowedHosts: ["api.example.com"]))
/// ```
public enum BuiltinTools {
    /// `file.read`, `file.write` and `file.list` confined to `sandboxRoot`, and `http.request`
    /// (every method, side-effecting) confined to `allowedHosts`, each with its default limits.
    /// Create the tools one by one to change a limit, or to get a read-only HTTP tool.
    ///
    /// - Throws: ``ToolError/invalidContract(tool:reason:)`` naming the tool whose configuration
    ///   is wrong: a sandbox root that is not a directory, a malformed host entry.
    public static func all(sandboxRoot: String, allowedHosts: [String]) throws(ToolError) -> [any Tool] {
        let sandbox: FileSandbox
        do {
            sandbox = try FileSandbox(root: sandboxRoot)
        } catch {
            throw .invalidContract(tool: "file.read", reason: error.message)
        }
        let http: HTTPRequestTool
        do {
            http = try HTTPRequestTool(allowedHosts: allowedHosts)
        } catch {
            throw .invalidContract(tool: "http.request", reason: error.message)
        }
        return [FileReadTool(sandbox), FileWriteTool(sandbox), FileListTool(sandbox), http]
    }
}
