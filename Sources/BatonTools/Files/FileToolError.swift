import BatonCore

/// Why a file tool (``FileReadTool``, ``FileWriteTool``, ``FileListTool``) refused a path or could
/// not complete. A ``ToolBox`` turns it into ``ToolError/failed(tool:code:message:retryable:)``
/// with the same ``code``, message and retryability.
///
/// Paths in the errors are the paths the caller gave, relative to the sandbox root; where a path
/// really leads outside the sandbox is never revealed.
public enum FileToolError: Error, Sendable, Hashable, CustomStringConvertible, NodeErrorConvertible {
    /// The sandbox root does not exist or is not a directory (found when the sandbox is created).
    case invalidRoot(String, reason: String)
    /// The arguments are malformed (a ``ToolBox`` catches this earlier, with the input schema).
    case invalidArguments(String)
    /// The path is absolute; paths are relative to the sandbox root.
    case absolutePath(String)
    /// The path has a `..` component.
    case parentReference(String)
    /// The path leads outside the sandbox through the symbolic link `link`.
    case outsideSandbox(path: String, link: String)
    /// The path cannot name a file (it contains a NUL character).
    case invalidPath(String, reason: String)
    /// Nothing exists at the path.
    case notFound(String)
    /// The path is a symbolic link (or passes through one) whose target does not exist.
    case brokenLink(String)
    /// The path names something other than a regular file (a directory, a device).
    case notAFile(String)
    /// The path, or a parent of it, names something other than a directory.
    case notADirectory(String)
    /// The parent directory of a file to write does not exist, and creating it was not asked for.
    case missingParent(path: String, parent: String)
    /// The file is larger than the tool reads.
    case tooLarge(path: String, size: Int, limit: Int)
    /// The file is not UTF-8 text.
    case notText(String)
    /// The operating system refused or failed the operation.
    case ioFailed(path: String, reason: String)

    /// A stable, machine-readable code.
    public var code: String {
        switch self {
        case .invalidRoot: return "invalid_sandbox_root"
        case .invalidArguments: return "invalid_arguments"
        case .absolutePath: return "absolute_path"
        case .parentReference: return "parent_reference"
        case .outsideSandbox: return "outside_sandbox"
        case .invalidPath: return "invalid_path"
        case .notFound: return "not_found"
        case .brokenLink: return "broken_link"
        case .notAFile: return "not_a_file"
        case .notADirectory: return "not_a_directory"
        case .missingParent: return "missing_parent"
        case .tooLarge: return "file_too_large"
        case .notText: return "not_text"
        case .ioFailed: return "io_failed"
        }
    }

    /// Whether the same call could succeed later: only when the operating system failed.
    public var retryable: Bool {
        if case .ioFailed = self { return true }
        return false
    }

    /// What happened and what to do about it.
    public var message: String {
        switch self {
        case let .invalidRoot(root, reason):
            return "the sandbox root '\(root)' cannot be used: \(reason); give an existing directory"
        case let .invalidArguments(reason):
            return "the arguments are malformed: \(reason); fix them and call again"
        case let .absolutePath(path):
            return "'\(path)' is an absolute path; give a path relative to the sandbox root, such as 'notes/todo.txt'"
        case let .parentReference(path):
            return "'\(path)' contains '..'; paths cannot leave the sandbox, give one relative to the sandbox root without '..'"
        case let .outsideSandbox(path, link):
            return "'\(path)' leads outside the sandbox through the symbolic link '\(link)'; only files inside the sandbox can be used"
        case let .invalidPath(path, reason):
            return "'\(path)' is not a usable path: \(reason)"
        case let .notFound(path):
            return "nothing exists at '\(path)'; list the directory to see what is there"
        case let .brokenLink(path):
            return "'\(path)' is a symbolic link whose target does not exist"
        case let .notAFile(path):
            return "'\(path)' is not a regular file (list a directory instead of reading it)"
        case let .notADirectory(path):
            return "'\(path)' is not a directory"
        case let .missingParent(path, parent):
            return "the directory '\(parent)' for '\(path)' does not exist; pass create_directories: true to create it"
        case let .tooLarge(path, size, limit):
            return "'\(path)' is \(size) bytes, over the limit of \(limit) bytes, so it was not read"
        case let .notText(path):
            return "'\(path)' is not UTF-8 text, so it cannot be returned as a string"
        case let .ioFailed(path, reason):
            return "the operation on '\(path)' failed: \(reason)"
        }
    }

    public var description: String { "\(code): \(message)" }

    public var nodeError: NodeError { NodeError(code: code, message: message, retryable: retryable) }
}
