import Foundation

/// A fresh directory for a workload's database files, removed when the workload is done.
/// It lives under `--directory` (default: the system's temporary directory), so put it on the
/// disk you want to measure: fsync costs are the disk's.
struct ScratchDirectory: Sendable {
    let path: String

    init(under parent: String) throws {
        path = (parent as NSString).appendingPathComponent("baton-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw UsageError("cannot create a scratch directory under '\(parent)' (--directory): \(error.localizedDescription)")
        }
    }

    /// A path in this directory; the file itself is not created.
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
