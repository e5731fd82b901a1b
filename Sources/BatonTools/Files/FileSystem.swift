import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls the file tools need, with errors as ``FileToolError``. Every function
/// takes absolute paths; `display` is the path the caller gave, for messages.
enum FileSystem {
    /// What a path names, without following a final symbolic link.
    enum Kind: String {
        case file, directory, symlink, other
    }

    /// What `path` names, or `nil` when nothing is there (or it cannot be reached).
    static func kind(_ path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return kind(of: info.st_mode)
    }

    /// The size in bytes of the regular file at `path`, without following a final link.
    static func size(_ path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0, kind(of: info.st_mode) == .file else { return nil }
        return Int(info.st_size)
    }

    /// `path` with every symbolic link resolved; `nil` when a link dangles or the path is gone.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Reads the regular file at `path`, refusing one larger than `limit` bytes without reading it.
    /// A final symbolic link is not followed (the path is already resolved), and opening does not
    /// block: a named pipe is refused as not a file instead of waiting for a writer.
    static func contents(of path: String, limit: Int, display: String) throws(FileToolError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw failure(display) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(display) }
        guard kind(of: info.st_mode) == .file else { throw .notAFile(display) }
        guard Int(info.st_size) <= limit else { throw .tooLarge(path: display, size: Int(info.st_size), limit: limit) }
        // Read in chunks until the end, and stop past the limit: a file that grew since fstat is caught too.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: min(limit + 1, 64 * 1024))
        while bytes.count <= limit {
            let received = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if received < 0, errno == EINTR { continue }
            guard received >= 0 else { throw failure(display) }
            if received == 0 { return bytes }
            bytes.append(contentsOf: chunk.prefix(received))
        }
        throw .tooLarge(path: display, size: bytes.count, limit: limit)
    }

    /// Replaces the file at `path` with `bytes` atomically: they go to a temporary file in the
    /// same directory, which is flushed and renamed over `path`. Readers see the old file or the
    /// new one, never a part. A file that is replaced keeps its permissions.
    static func writeAtomically(_ bytes: [UInt8], to path: String, display: String) throws(FileToolError) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = "\(directory)/.\(name).baton-\(UUID().uuidString).tmp"
        var existing = stat()
        let mode: mode_t = lstat(path, &existing) == 0 ? existing.st_mode & 0o7777 : 0o644
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure(display) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else {
                let error = failure(display)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            written += result
        }
        // A mode the umask narrowed at creation is set as asked.
        let synced = fchmod(descriptor, mode) == 0 && fsync(descriptor) == 0
        let error = synced ? nil : failure(display)
        close(descriptor)
        if let error {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure(display)
            unlink(temporary)
            throw error
        }
    }

    /// Creates `path` and any missing parents.
    static func createDirectories(_ path: String, display: String) throws(FileToolError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .ioFailed(path: display, reason: "the directory could not be created: \(error.localizedDescription)")
        }
    }

    /// The names in the directory at `path`, sorted.
    static func names(in path: String, display: String) throws(FileToolError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw .ioFailed(path: display, reason: "the directory could not be read: \(error.localizedDescription)")
        }
    }

    private static func kind(of mode: mode_t) -> Kind {
        switch mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// The current `errno` as an error about `display`.
    private static func failure(_ display: String) -> FileToolError {
        let code = errno
        switch code {
        case ENOENT: return .notFound(display)
        case EISDIR: return .notAFile(display)
        case ENOTDIR: return .notADirectory(display)
        default: return .ioFailed(path: display, reason: String(cString: strerror(code)))
        }
    }
}
