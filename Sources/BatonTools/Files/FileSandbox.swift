import Foundation

/// A directory that the file tools cannot leave.
///
/// Paths are relative to the root. A path is refused when it is absolute, when it has a `..`
/// component, or when the part of it that exists, with every symbolic link resolved, is outside
/// the root: a link inside the sandbox that points outside cannot be followed, whether it is the
/// file itself or a directory in the middle of the path. Links that stay inside are followed.
///
/// The file tools have no circuit breaker: their failures are about the paths asked for (a file
/// that is missing, a path that is refused), not a sign of a service that is down, and should not
/// pause the tool for other calls.
///
/// The checks guard against the paths a caller chooses; they do not make the sandbox safe from
/// another process that rewrites the directory tree between the check and the operation.
///
/// ```swift
/// let sandbox = try FileSandbox(root: "/srv/agent-workspace")
/// let tools = try ToolBox([FileReadTool(sandbox), FileWriteTool(sandbox), FileListTool(sandbox)])
/// ```
public struct FileSandbox: Sendable, Hashable {
    /// The root directory, absolute, with its symbolic links resolved.
    public let root: String

    /// A sandbox rooted at `root` (relative paths are relative to the working directory).
    ///
    /// - Throws: ``FileToolError/invalidRoot(_:reason:)`` when `root` does not exist or is not a directory.
    public init(root: String) throws(FileToolError) {
        guard let real = FileSystem.realPath(root) else { throw .invalidRoot(root, reason: "it does not exist") }
        guard FileSystem.kind(real) == .directory else { throw .invalidRoot(root, reason: "it is not a directory") }
        self.root = real
    }

    /// A path inside the sandbox, checked.
    struct Location: Sendable {
        /// The path as the caller should see it: relative, normalized, `.` for the root.
        var relative: String
        /// The absolute path to operate on: the existing part with its links resolved, then the
        /// components that do not exist yet.
        var absolute: String
        /// Whether the whole path exists.
        var exists: Bool

        /// The directory that holds ``absolute``.
        var absoluteParent: String { (absolute as NSString).deletingLastPathComponent }

        /// The directory that holds the path, as the caller should see it.
        var parentRelative: String {
            let parent = (relative as NSString).deletingLastPathComponent
            return parent.isEmpty ? "." : parent
        }
    }

    /// Checks `path` and resolves it.
    func resolve(_ path: String) throws(FileToolError) -> Location {
        guard !path.contains("\0") else { throw .invalidPath(path, reason: "it contains a NUL character") }
        guard !path.hasPrefix("/") else { throw .absolutePath(path) }
        let parts = path.split(separator: "/").map(String.init).filter { $0 != "." }
        guard !parts.contains("..") else { throw .parentReference(path) }
        let relative = parts.isEmpty ? "." : parts.joined(separator: "/")
        // The deepest part of the path that exists decides: resolved, it must be inside the root.
        // What follows it does not exist, so it holds no links.
        for count in stride(from: parts.count, through: 0, by: -1) {
            let prefix = ([root] + parts.prefix(count)).joined(separator: "/")
            guard FileSystem.kind(prefix) != nil else { continue }
            guard let real = FileSystem.realPath(prefix) else { throw .brokenLink(relative) }
            guard contains(real) else { throw .outsideSandbox(path: relative, link: escapingLink(parts.prefix(count))) }
            return Location(relative: relative, absolute: ([real] + parts.dropFirst(count)).joined(separator: "/"), exists: count == parts.count)
        }
        throw .ioFailed(path: relative, reason: "the sandbox root '\(root)' no longer exists")
    }

    /// Whether `real`, a resolved absolute path, is the root or inside it.
    private func contains(_ real: String) -> Bool {
        real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// The first symbolic link along `parts` that resolves outside the root, for the message.
    private func escapingLink(_ parts: ArraySlice<String>) -> String {
        for count in 1...max(parts.count, 1) {
            let prefix = ([root] + parts.prefix(count)).joined(separator: "/")
            if FileSystem.kind(prefix) == .symlink, let real = FileSystem.realPath(prefix), !contains(real) {
                return parts.prefix(count).joined(separator: "/")
            }
        }
        return parts.joined(separator: "/")
    }
}
