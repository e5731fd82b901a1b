import BatonCore

/// `file.write`: writes a text file inside a ``FileSandbox``, replacing it atomically.
///
/// Arguments: `path`, relative to the sandbox root; `content`, the text; `create_directories`,
/// `true` to create missing parent directories (inside the sandbox; by default a missing parent is
/// ``FileToolError/missingParent(path:parent:)``). Result: `{"path": "notes/todo.txt", "size": 42}`,
/// the path normalized and the size in bytes.
///
/// The content goes to a temporary file beside the target, which is flushed to disk and renamed
/// over it: a reader sees the old file or the new one, never a part, and a failed write leaves the
/// old file as it was. A replaced file keeps its permissions; a symbolic link inside the sandbox
/// is written through (its target is replaced, the link stays).
///
/// The tool is `idempotent`: writing the same content to the same path twice leaves the same
/// file and returns the same result, and because the write is atomic an attempt that failed half
/// way left nothing behind, so the tool box may retry it. (A retry after another writer changed
/// the file in between overwrites that change, as the first attempt would have.) It is not
/// `side_effecting`, which would forbid the retries for no gain.
///
/// ```swift
/// let write = FileWriteTool(try FileSandbox(root: "workspace"))
/// ```
public struct FileWriteTool: Tool {
    public let contract: ToolContract
    /// Where the files are.
    public let sandbox: FileSandbox

    /// A tool that writes files inside `sandbox`.
    public init(_ sandbox: FileSandbox, name: String = "file.write") {
        self.sandbox = sandbox
        contract = ToolContract(
            name: name,
            description: "Writes a UTF-8 text file, replacing it if it exists. The path is relative to the workspace root; '..', absolute paths and links that lead outside the workspace are refused. Set create_directories to create missing parent directories.",
            inputSchema: [
                "type": "object", "additionalProperties": false, "required": ["path", "content"],
                "properties": [
                    "path": ["type": "string", "minLength": 1, "description": "The file's path, relative to the workspace root."],
                    "content": ["type": "string", "description": "The whole new content of the file."],
                    "create_directories": ["type": "boolean", "description": "Create missing parent directories (default false)."],
                ],
            ],
            outputSchema: [
                "type": "object", "required": ["path", "size"],
                "properties": ["path": ["type": "string"], "size": ["type": "integer", "minimum": 0]],
            ],
            effect: .idempotent, risk: .medium, circuitBreaker: nil
        )
    }

    public func call(_ arguments: JSON, context: ToolContext) async throws -> JSON {
        let location = try sandbox.resolve(try FileArguments.string("path", in: arguments))
        let content = try FileArguments.string("content", in: arguments)
        let createDirectories = try FileArguments.flag("create_directories", in: arguments)
        if location.exists, FileSystem.kind(location.absolute) != .file { throw FileToolError.notAFile(location.relative) }
        let parent = location.absoluteParent
        switch FileSystem.kind(parent) {
        case .directory?:
            break
        case nil where createDirectories:
            try FileSystem.createDirectories(parent, display: location.parentRelative)
        case nil:
            throw FileToolError.missingParent(path: location.relative, parent: location.parentRelative)
        default:
            throw FileToolError.notADirectory(location.parentRelative)
        }
        let bytes = Array(content.utf8)
        try FileSystem.writeAtomically(bytes, to: location.absolute, display: location.relative)
        return ["path": .string(location.relative), "size": .int(bytes.count)]
    }
}
