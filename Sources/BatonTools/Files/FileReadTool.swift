import BatonCore

/// `file.read`: returns the text of a file inside a ``FileSandbox``.
///
/// Arguments: `path`, relative to the sandbox root. Result: `{"path": "notes/todo.txt",
/// "content": "…", "size": 42}`, where `path` is the path normalized and `size` is in bytes.
///
/// Refused, with a ``FileToolError``: paths that leave the sandbox, anything but a regular file,
/// files over `maxBytes` (never read into memory), and files that are not UTF-8 text.
///
/// The tool is `read_only`: it changes nothing, so it is retried when the operating system fails.
///
/// ```swift
/// let read = FileReadTool(try FileSandbox(root: "workspace"), maxBytes: 256 * 1024)
/// ```
public struct FileReadTool: Tool {
    /// The default size limit: 1 MiB.
    public static let defaultMaxBytes = 1 << 20

    public let contract: ToolContract
    /// Where the files are.
    public let sandbox: FileSandbox
    /// The largest file read, in bytes.
    public let maxBytes: Int

    /// A tool that reads files inside `sandbox` of at most `maxBytes` bytes.
    public init(_ sandbox: FileSandbox, name: String = "file.read", maxBytes: Int = FileReadTool.defaultMaxBytes) {
        self.sandbox = sandbox
        self.maxBytes = max(0, maxBytes)
        contract = ToolContract(
            name: name,
            description: "Reads a UTF-8 text file of at most \(self.maxBytes) bytes. The path is relative to the workspace root; '..', absolute paths and links that lead outside the workspace are refused.",
            inputSchema: [
                "type": "object", "additionalProperties": false, "required": ["path"],
                "properties": ["path": ["type": "string", "minLength": 1, "description": "The file's path, relative to the workspace root."]],
            ],
            outputSchema: [
                "type": "object", "required": ["path", "content", "size"],
                "properties": ["path": ["type": "string"], "content": ["type": "string"], "size": ["type": "integer", "minimum": 0]],
            ],
            effect: .readOnly, risk: .low, circuitBreaker: nil
        )
    }

    public func call(_ arguments: JSON, context: ToolContext) async throws -> JSON {
        let location = try sandbox.resolve(try FileArguments.string("path", in: arguments))
        guard location.exists else { throw FileToolError.notFound(location.relative) }
        let bytes = try FileSystem.contents(of: location.absolute, limit: maxBytes, display: location.relative)
        guard let content = String(validating: bytes, as: UTF8.self) else { throw FileToolError.notText(location.relative) }
        return ["path": .string(location.relative), "content": .string(content), "size": .int(bytes.count)]
    }
}
