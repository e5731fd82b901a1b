import BatonCore

/// `file.list`: lists a directory inside a ``FileSandbox``.
///
/// Arguments: `path`, relative to the sandbox root (the root when left out). Result:
/// `{"path": "notes", "entries": [{"name": "todo.txt", "type": "file", "size": 42}, {"name": "old", "type": "directory"}], "truncated": false}`.
/// Entries are sorted by name, hidden ones included; `type` is `file`, `directory`, `symlink`
/// (not followed: reading through it may still be refused) or `other`; `size`, in bytes, is given
/// for files only. At most `maxEntries` entries are returned; `truncated` says whether there were more.
///
/// The tool is `read_only`.
///
/// ```swift
/// let list = FileListTool(try FileSandbox(root: "workspace"))
/// ```
public struct FileListTool: Tool {
    /// The default number of entries returned at most.
    public static let defaultMaxEntries = 1_000

    public let contract: ToolContract
    /// Where the files are.
    public let sandbox: FileSandbox
    /// How many entries one call returns at most.
    public let maxEntries: Int

    /// A tool that lists directories inside `sandbox`, returning at most `maxEntries` entries.
    public init(_ sandbox: FileSandbox, name: String = "file.list", maxEntries: Int = FileListTool.defaultMaxEntries) {
        self.sandbox = sandbox
        self.maxEntries = max(0, maxEntries)
        contract = ToolContract(
            name: name,
            description: "Lists a directory of the workspace: each entry's name, type (file, directory, symlink, other) and, for files, size in bytes. The path is relative to the workspace root; leave it out for the root.",
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": ["path": ["type": "string", "description": "The directory's path, relative to the workspace root (default: the root)."]],
            ],
            outputSchema: [
                "type": "object", "required": ["path", "entries", "truncated"],
                "properties": [
                    "path": ["type": "string"],
                    "entries": [
                        "type": "array",
                        "items": [
                            "type": "object", "required": ["name", "type"],
                            "properties": [
                                "name": ["type": "string"], "type": ["enum": ["file", "directory", "symlink", "other"]],
                                "size": ["type": "integer", "minimum": 0],
                            ],
                        ],
                    ],
                    "truncated": ["type": "boolean"],
                ],
            ],
            effect: .readOnly, risk: .low, circuitBreaker: nil
        )
    }

    public func call(_ arguments: JSON, context: ToolContext) async throws -> JSON {
        let location = try sandbox.resolve(try FileArguments.string("path", in: arguments, fallback: "."))
        guard location.exists else { throw FileToolError.notFound(location.relative) }
        guard FileSystem.kind(location.absolute) == .directory else { throw FileToolError.notADirectory(location.relative) }
        let names = try FileSystem.names(in: location.absolute, display: location.relative)
        let entries: [JSON] = names.prefix(maxEntries).map { name in
            let path = location.absolute + "/" + name
            let kind = FileSystem.kind(path) ?? .other
            var entry: [String: JSON] = ["name": .string(name), "type": .string(kind.rawValue)]
            if kind == .file, let size = FileSystem.size(path) { entry["size"] = .int(size) }
            return .object(entry)
        }
        return ["path": .string(location.relative), "entries": .array(entries), "truncated": .bool(names.count > maxEntries)]
    }
}
