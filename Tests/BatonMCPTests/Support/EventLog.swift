import BatonMCP
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Records the events of a connection, for tests to wait on and inspect.
final class EventLog: Sendable {
    private let events = Mutex<[MCPServerEvent]>([])

    /// The handler to give the connection.
    var handler: @Sendable (MCPServerEvent) -> Void { { [self] event in events.withLock { $0.append(event) } } }

    var all: [MCPServerEvent] { events.withLock { $0 } }

    var stderr: [String] {
        all.compactMap { if case let .stderr(line) = $0 { line } else { nil } }
    }

    var starts: Int {
        all.filter { if case .started = $0 { true } else { false } }.count
    }

    /// The process ids the servers reported with their "pid <n>" line on standard error.
    var pids: [Int32] {
        stderr.compactMap { $0.hasPrefix("pid ") ? Int32($0.dropFirst(4)) : nil }
    }

    /// Waits until `condition` holds of the events, polling, for at most `timeout`; returns whether it held.
    @discardableResult
    func wait(for timeout: Duration = .seconds(60), until condition: ([MCPServerEvent]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(all) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(all)
    }

    /// Waits until a line of standard error contains `text`.
    @discardableResult
    func waitForStderr(containing text: String, timeout: Duration = .seconds(60)) async -> Bool {
        await wait(for: timeout) { events in
            events.contains { if case let .stderr(line) = $0 { line.contains(text) } else { false } }
        }
    }
}

/// Whether a process of this id exists (a zombie counts: it has not been reaped).
func processExists(_ pid: Int32) -> Bool {
    kill(pid, 0) == 0 || errno != ESRCH
}

/// Opens a connection, runs `body` with it, and shuts it down (awaited) however `body` ends.
func withConnection<T>(_ configuration: MCPServerConfiguration, log: EventLog = EventLog(), _ body: (MCPServerConnection) async throws -> T) async throws -> T {
    let connection = MCPServerConnection(configuration, onEvent: log.handler)
    do {
        let result = try await body(connection)
        await connection.shutdown()
        return result
    } catch {
        await connection.shutdown()
        throw error
    }
}
