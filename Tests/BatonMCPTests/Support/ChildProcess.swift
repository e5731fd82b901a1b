import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process of the tests (a fixture server, git), awaited without blocking a thread of the
/// concurrency pool: `Process.waitUntilExit()` would, and the pool has as many threads as cores.
final class ChildProcess: Sendable {
    private let process: Process
    private let exited: AsyncStream<Int32>
    private let status = Mutex<Int32?>(nil)

    /// Starts `executable` with `arguments`; standard output goes to `output` if given.
    init(_ executable: String, _ arguments: [String], output: Pipe? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let (exited, continuation) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { process in
            continuation.yield(process.terminationStatus)
            continuation.finish()
        }
        try process.run()
        self.process = process
        self.exited = exited
    }

    /// Waits for it to exit; returns its status.
    func wait() async -> Int32 {
        if let known = status.withLock({ $0 }) { return known }
        var code: Int32 = -1
        for await value in exited { code = value }
        status.withLock { $0 = code }
        return code
    }

    /// Kills it (SIGKILL: a server waiting for its connections to close would not end otherwise)
    /// and waits for it to exit.
    func kill() async {
        if process.isRunning { killProcess(process.processIdentifier) }
        _ = await wait()
    }
}

/// Sends SIGKILL to `pid` (a free function: inside ``ChildProcess`` the name `kill` is its method).
private func killProcess(_ pid: Int32) {
    _ = kill(pid, SIGKILL)
}
