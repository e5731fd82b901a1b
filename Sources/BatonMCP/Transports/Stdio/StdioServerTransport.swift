import Foundation
import Logging
import MCP
import Subprocess
import SystemPackage

/// The stdio transport: starts the server as a child process (in a session of its own, so that
/// its children end with it), writes one JSON-RPC message per line to its standard input and reads
/// them from its standard output; each line it writes to standard error goes to `onStderr`.
///
/// It owns the process. ``disconnect()`` closes the server's standard input, waits up to two
/// seconds for it to exit, then sends SIGTERM to its process group, then SIGKILL; the process is
/// reaped and every descriptor closed before it returns. When the process ends, or writes a line
/// that is not a JSON-RPC message, without being asked to, the transport trips its ``Tripwire``
/// with ``MCPClientError/serverExited(server:status:stderr:)`` or
/// ``MCPClientError/malformedMessage(server:reason:excerpt:)`` (then stops the process).
actor StdioServerTransport: MCPChannel {
    nonisolated let logger = Logger(label: "baton.mcp.stdio", factory: { _ in SwiftLogNoOpLogHandler() })

    private let server: String
    private let command: String
    private let arguments: [String]
    private let environment: [String: String]
    private let workingDirectory: String?
    private let tripwire: Tripwire
    private let onStderr: @Sendable (String) -> Void
    private let incoming: AsyncThrowingStream<Data, any Error>
    private let incomingContinuation: AsyncThrowingStream<Data, any Error>.Continuation
    private let outgoing: AsyncStream<Data>
    private let outgoingContinuation: AsyncStream<Data>.Continuation
    private var stderrTail = RecentLines(capacity: 20)
    private var process: Task<Void, Never>?
    private var stopping = false

    /// How long the server may take to exit after its standard input closes, before SIGTERM.
    static let gracePeriod: Duration = .seconds(2)

    init(server: String, command: String, arguments: [String], environment: [String: String], workingDirectory: String?, tripwire: Tripwire, onStderr: @escaping @Sendable (String) -> Void) {
        self.server = server
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.tripwire = tripwire
        self.onStderr = onStderr
        (incoming, incomingContinuation) = AsyncThrowingStream.makeStream()
        (outgoing, outgoingContinuation) = AsyncStream.makeStream()
    }

    var recentStderr: [String] { stderrTail.lines }

    /// Starts the process; returns once it runs, or throws ``MCPClientError/spawnFailed(server:command:reason:)``.
    func connect() async throws {
        guard process == nil else { return }
        IgnoreBrokenPipes.once()
        let started = Completion<Void>()
        let executable: Executable = command.contains("/") ? .path(FilePath(command)) : .name(command)
        var overrides: [Environment.Key: String?] = [:]
        for (key, value) in environment { overrides[Environment.Key(stringLiteral: key)] = value }
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(2))]
        let arguments = Arguments(self.arguments)
        let workingDirectory = self.workingDirectory.map { FilePath($0) }
        process = Task {
            var spawned = false
            do {
                let result = try await Subprocess.run(
                    executable, arguments: arguments, environment: .inherit.updating(overrides),
                    workingDirectory: workingDirectory, platformOptions: options,
                    input: .inputWriter, output: .sequence, error: .sequence
                ) { execution in
                    spawned = true
                    started.resolve(.success(()))
                    try await self.exchange(with: execution)
                }
                self.ended(status: result.terminationStatus)
            } catch {
                started.resolve(.failure(error))
                self.ended(error: error, spawned: spawned)
            }
        }
        do {
            try await started.value()
        } catch {
            throw MCPClientError.spawnFailed(server: server, command: command, reason: Self.describe(error))
        }
    }

    func disconnect() async {
        guard let process, !stopping else { return }
        stopping = true
        outgoingContinuation.finish()
        let exited = Completion<Bool>()
        let waiter = Task {
            await process.value
            exited.resolve(.success(true))
        }
        let timer = Task {
            try? await Task.sleep(for: Self.gracePeriod)
            exited.resolve(.success(false))
        }
        if (try? await exited.value()) != true { process.cancel() }
        await waiter.value
        timer.cancel()
        incomingContinuation.finish()
    }

    func send(_ data: Data) async throws {
        if let error = tripwire.error { throw error }
        guard !stopping else { throw MCPClientError.shutDown(server: server) }
        outgoingContinuation.yield(data)
    }

    nonisolated func receive() -> AsyncThrowingStream<Data, any Error> { incoming }

    /// Runs while the process lives: writes what is sent, reads messages and stderr lines.
    /// Throws (and so makes Subprocess stop the process) when the server writes garbage.
    private nonisolated func exchange(with execution: Execution<CustomWriteInput, SequenceOutput, SequenceOutput>) async throws {
        let writer = Task { await self.write(to: execution.standardInputWriter) }
        defer { writer.cancel() }
        async let stderrDrained: Void = readStderr(execution.standardError)
        try await readStdout(execution.standardOutput)
        await stderrDrained
    }

    private func write(to writer: StandardInputWriter) async {
        for await message in outgoing {
            var line = [UInt8](message)
            line.append(0x0A)
            do {
                _ = try await writer.write(line)
            } catch {
                return
            }
        }
        try? await writer.finish()
    }

    private nonisolated func readStdout(_ output: SubprocessOutputSequence) async throws {
        var framer = LineFramer()
        do {
            for try await buffer in output {
                for line in framer.append(buffer.withUnsafeBytes { Array($0) }) {
                    try await deliver(line, cut: framer.overflowed)
                }
            }
        } catch let error as MCPClientError {
            throw error
        } catch {
            // The pipe broke or the read was cancelled: the process is ending either way.
        }
        if let last = framer.finish() { try await deliver(last, cut: false) }
    }

    private func deliver(_ line: [UInt8], cut: Bool) throws {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        let failure: MCPClientError
        if cut {
            failure = .malformedMessage(server: server, reason: "a line longer than 64 MiB", excerpt: JSONRPCMessage.excerpt(line))
        } else {
            do {
                _ = try JSONRPCMessage.decode(line)
                incomingContinuation.yield(Data(line))
                return
            } catch {
                failure = .malformedMessage(server: server, reason: error.reason, excerpt: error.excerpt)
            }
        }
        if !stopping { tripwire.trip(failure) }
        throw failure
    }

    private nonisolated func readStderr(_ output: SubprocessOutputSequence) async {
        var framer = LineFramer(maximumLineLength: 16 << 10)
        do {
            for try await buffer in output {
                for line in framer.append(buffer.withUnsafeBytes { Array($0) }) { await heard(line) }
            }
        } catch {
            // The pipe broke or the read was cancelled: keep what was read.
        }
        if let last = framer.finish() { await heard(last) }
    }

    private func heard(_ bytes: [UInt8]) {
        let line = String(decoding: bytes, as: UTF8.self)
        stderrTail.append(line)
        onStderr(line)
    }

    private func ended(status: TerminationStatus) {
        let exit: MCPExitStatus
        switch status {
        case let .exited(code): exit = .exited(code)
        case let .signaled(signal): exit = .signaled(signal)
        }
        finish(with: .serverExited(server: server, status: exit, stderr: stderrTail.lines))
    }

    private func ended(error: any Error, spawned: Bool) {
        if !spawned {
            incomingContinuation.finish()
        } else if let error = error as? MCPClientError {
            finish(with: error)
        } else {
            finish(with: .connectionFailed(server: server, reason: "lost track of the server's process (\(error))"))
        }
    }

    private func finish(with error: MCPClientError) {
        if !stopping { tripwire.trip(error) }
        incomingContinuation.finish(throwing: tripwire.error ?? error)
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? SubprocessError else { return "\(error)" }
        switch error.code {
        case .executableNotFound: return "the command was not found"
        case .failedToChangeWorkingDirectory: return "the working directory could not be entered"
        default: return error.description
        }
    }
}
