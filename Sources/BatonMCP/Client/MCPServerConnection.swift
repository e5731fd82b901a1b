import BatonCore
import Foundation
import MCP

/// A connection to one MCP server: it starts the server (or reaches it over HTTP), lists its
/// tools, calls them, and starts it again when it dies.
///
/// ```swift
/// let time = MCPServerConnection(MCPServerConfiguration(name: "time", transport: .stdio(command: "mcp-server-time")))
/// try await time.start()
/// let tools = try await time.tools()
/// let now = try await time.call(tool: "get_current_time", arguments: ["timezone": "Europe/Paris"])
/// print(now.structuredContent ?? .null)
/// await time.shutdown()
/// ```
///
/// **Lifecycle.** The first request (or ``start()``) starts the server and performs the
/// handshake; concurrent requests wait for the same start. When the server dies, the requests in
/// flight fail with the reason (``MCPClientError/serverExited(server:status:stderr:)`` and the like)
/// and the next request starts it again, after the backoff of the configuration's
/// ``MCPRestartPolicy``; after too many restarts in a row, requests fail with
/// ``MCPClientError/restartLimitReached(server:restarts:lastFailure:)``. Call ``shutdown()`` when
/// done: it stops the process (or ends the HTTP session).
///
/// **Cancellation.** A request whose task is cancelled returns at once with
/// ``MCPClientError/cancelled(server:method:)``, and the server is told with
/// `notifications/cancelled`; so is a request that times out.
///
/// Every method is safe to call from any task; requests run concurrently.
public actor MCPServerConnection {
    /// How the server is reached.
    public nonisolated let configuration: MCPServerConfiguration
    private let onEvent: @Sendable (MCPServerEvent) -> Void
    private var phase: Phase = .idle
    private var restartsInARow = 0
    private var toolCache: (session: MCPSession, tools: [MCPToolDescriptor])?

    private enum Phase {
        case idle
        case opening(UUID, Task<Result<MCPSession, MCPClientError>, Never>)
        case running(MCPSession)
        case failed(MCPClientError, at: ContinuousClock.Instant)
        case shutDown
    }

    /// Creates a connection; nothing starts before the first request or ``start()``.
    ///
    /// - Parameter onEvent: Told what happens to the server: each line of its standard error,
    ///   starts, deaths, restarts and tool list changes (see ``MCPServerEvent``). It runs on the
    ///   connection's tasks, so it must return quickly.
    public init(_ configuration: MCPServerConfiguration, onEvent: @escaping @Sendable (MCPServerEvent) -> Void = { _ in }) {
        self.configuration = configuration
        self.onEvent = onEvent
    }

    deinit {
        if case let .running(session) = phase {
            Task { await session.close(.shutDown(server: session.server)) }
        }
    }

    /// What the server said about itself in the handshake, while it runs.
    public var serverInfo: MCPServerInfo? {
        if case let .running(session) = phase { return session.info }
        return nil
    }

    /// Starts the server and performs the handshake, unless it runs already.
    ///
    /// - Throws: ``MCPClientError``: `.spawnFailed`, `.handshakeTimeout`, `.handshakeFailed`,
    ///   `.serverExited`, `.connectionFailed`, `.httpStatus`, and the like.
    public func start() async throws(MCPClientError) {
        _ = try await session()
    }

    /// The server's tools, listed when first asked for, then kept until the server says they
    /// changed or the server is restarted.
    public func tools() async throws(MCPClientError) -> [MCPToolDescriptor] {
        let session = try await session()
        if let toolCache, toolCache.session === session { return toolCache.tools }
        var tools: [MCPToolDescriptor] = []
        var cursor: String?
        var cursorsSeen: Set<String> = []
        repeat {
            let parameters = cursor.map { ListTools.Parameters(cursor: $0) } ?? ListTools.Parameters()
            let page = JSON(try await session.request(ListToolsMethod.request(parameters), timeout: configuration.callTimeout, label: "tools/list"))
            guard case let .array(listed)? = page["tools"] else {
                throw .malformedMessage(server: configuration.name, reason: "the tools/list result has no \"tools\" array", excerpt: JSONRPCMessage.excerpt(page.canonicalString.utf8))
            }
            do {
                for tool in listed { tools.append(try MCPToolDescriptor(listed: tool)) }
            } catch {
                throw .malformedMessage(server: configuration.name, reason: error.reason, excerpt: error.excerpt)
            }
            cursor = page["nextCursor"]?.stringValue
            if let next = cursor, !cursorsSeen.insert(next).inserted { cursor = nil }
        } while cursor != nil
        restartsInARow = 0
        if case let .running(current) = phase, current === session { toolCache = (session, tools) }
        return tools
    }

    /// Calls a tool.
    ///
    /// - Parameters:
    ///   - tool: The tool's name, as ``tools()`` lists it.
    ///   - arguments: A JSON object of the tool's arguments (`null` for none).
    ///   - timeout: How long to wait for the answer; the configuration's call timeout if `nil`.
    /// - Returns: The result; a tool that failed in its own terms returns one with `isError` set.
    /// - Throws: ``MCPClientError``: `.serverError` for an unknown tool or arguments the server
    ///   refused, `.callTimeout`, `.cancelled`, `.serverExited` when the server died during the
    ///   call, `.invalidArguments` when `arguments` is not an object, and the errors of ``start()``.
    public func call(tool: String, arguments: JSON = [:], timeout: Duration? = nil) async throws(MCPClientError) -> MCPToolResult {
        let values: [String: MCP.Value]?
        switch arguments {
        case .null: values = nil
        case let .object(members): values = members.mapValues(MCP.Value.init)
        default: throw .invalidArguments(server: configuration.name, tool: tool, reason: "are a JSON \(arguments.typeName), not an object")
        }
        let session = try await session()
        let request = CallToolMethod.request(CallTool.Parameters(name: tool, arguments: values))
        let answer = JSON(try await session.request(request, timeout: timeout ?? configuration.callTimeout, label: "tools/call \(tool)"))
        restartsInARow = 0
        do {
            return try MCPToolResult(called: answer)
        } catch {
            throw .malformedMessage(server: configuration.name, reason: error.reason, excerpt: error.excerpt)
        }
    }

    /// Stops the server (closes its input, waits up to two seconds, terminates it, reaps it) or
    /// ends the HTTP session. Requests in flight fail with ``MCPClientError/shutDown(server:)``,
    /// and so does every later request.
    public func shutdown() async {
        let previous = phase
        phase = .shutDown
        toolCache = nil
        switch previous {
        case let .running(session):
            await session.close(.shutDown(server: configuration.name))
        case let .opening(_, task):
            task.cancel()
            _ = await task.value
        case .idle, .failed, .shutDown:
            break
        }
    }

    // MARK: - The session

    /// The running session, starting or restarting the server if needed.
    private func session() async throws(MCPClientError) -> MCPSession {
        while true {
            switch phase {
            case let .running(session):
                guard let ended = session.tripwire.error else { return session }
                sessionEnded(session, ended)
            case let .opening(_, task):
                if case let .failure(error) = try await outcome(of: task) { throw error }
            case .idle:
                open(after: .zero)
            case let .failed(error, at):
                let policy = configuration.restartPolicy
                guard restartsInARow < policy.maxRestarts else {
                    throw .restartLimitReached(server: configuration.name, restarts: restartsInARow, lastFailure: error)
                }
                restartsInARow += 1
                let delay = max(.zero, policy.backoff(beforeRestart: restartsInARow) - (ContinuousClock.now - at))
                onEvent(.restarting(attempt: restartsInARow, after: delay))
                open(after: delay)
            case .shutDown:
                throw .shutDown(server: configuration.name)
            }
        }
    }

    /// Waits for a session being opened, unless the waiting task is cancelled first (the opening
    /// goes on for the other requests).
    private func outcome(of opening: Task<Result<MCPSession, MCPClientError>, Never>) async throws(MCPClientError) -> Result<MCPSession, MCPClientError> {
        let outcome = Completion<Result<MCPSession, MCPClientError>>()
        Task { outcome.resolve(.success(await opening.value)) }
        do {
            return try await withTaskCancellationHandler {
                try await outcome.value()
            } onCancel: {
                outcome.resolve(.failure(CancellationError()))
            }
        } catch {
            throw .cancelled(server: configuration.name, method: "initialize")
        }
    }

    /// Starts opening a session in the background; requests wait for it.
    private func open(after delay: Duration) {
        let token = UUID()
        let configuration = self.configuration
        let onEvent = self.onEvent
        let task = Task { () -> Result<MCPSession, MCPClientError> in
            if delay > .zero { try? await Task.sleep(for: delay) }
            let result: Result<MCPSession, MCPClientError>
            do throws(MCPClientError) {
                let session = try await MCPSession.open(
                    configuration,
                    onStderr: { onEvent(.stderr($0)) },
                    onToolsChanged: { [weak self] in Task { await self?.toolListChanged() } })
                result = .success(session)
            } catch {
                result = .failure(error)
            }
            return await self.opened(token, result)
        }
        phase = .opening(token, task)
    }

    /// Records how opening went, unless the connection moved on (it was shut down meanwhile).
    private func opened(_ token: UUID, _ result: Result<MCPSession, MCPClientError>) async -> Result<MCPSession, MCPClientError> {
        guard case .opening(token, _) = phase else {
            if case let .success(session) = result { await session.close(.shutDown(server: configuration.name)) }
            return .failure(.shutDown(server: configuration.name))
        }
        switch result {
        case let .success(session):
            phase = .running(session)
            _ = session.tripwire.listen { [weak self] error in Task { await self?.sessionEnded(session, error) } }
            onEvent(.started(session.info, restart: restartsInARow))
        case let .failure(error):
            phase = .failed(error, at: .now)
        }
        return result
    }

    /// Marks the running session dead, if `session` is it, and cleans it up.
    private func sessionEnded(_ session: MCPSession, _ error: MCPClientError) {
        guard case let .running(current) = phase, current === session else { return }
        phase = .failed(error, at: .now)
        toolCache = nil
        onEvent(.stopped(error))
        Task { await session.close(error) }
    }

    /// The server said its tools changed: list them again and tell.
    private func toolListChanged() async {
        toolCache = nil
        guard case .running = phase else { return }
        if let tools = try? await tools() { onEvent(.toolsChanged(tools)) }
    }
}
