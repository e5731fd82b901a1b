import BatonCore
import MCP

/// One life of a server: a transport, the SDK client over it, and the ``Tripwire`` that fails
/// every request in flight at once when that life ends (the process exits, writes garbage, the
/// HTTP session expires, the connection shuts it down). A connection opens a new session to
/// restart a server; a session never comes back.
final class MCPSession: Sendable {
    let server: String
    /// What the server said about itself in the handshake.
    let info: MCPServerInfo
    /// Trips when this session ends, with the reason.
    let tripwire: Tripwire
    private let client: MCP.Client

    private init(server: String, info: MCPServerInfo, tripwire: Tripwire, client: MCP.Client) {
        self.server = server
        self.info = info
        self.tripwire = tripwire
        self.client = client
    }

    /// The marker a handshake's timer delivers.
    private struct HandshakeTimedOut: Error {}

    /// Starts the server (or reaches it) and performs the initialize handshake, within the
    /// configuration's handshake timeout.
    static func open(
        _ configuration: MCPServerConfiguration,
        onStderr: @escaping @Sendable (String) -> Void,
        onToolsChanged: @escaping @Sendable () -> Void
    ) async throws(MCPClientError) -> MCPSession {
        let server = configuration.name
        if Task.isCancelled { throw .cancelled(server: server, method: "initialize") }
        try configuration.validate()
        let tripwire = Tripwire()
        let channel: any MCPChannel
        switch configuration.transport {
        case let .stdio(command, arguments, environment, workingDirectory):
            channel = StdioServerTransport(
                server: server, command: command, arguments: arguments, environment: environment,
                workingDirectory: workingDirectory, tripwire: tripwire, onStderr: onStderr)
        case let .http(url, headers):
            channel = StreamableHTTPTransport(server: server, url: url, headers: headers, tripwire: tripwire)
        }
        let client = MCP.Client(name: "baton", version: Baton.version)
        await client.withMethodHandler(Ping.self) { _ in Empty() }
        await client.onNotification(ToolListChangedNotification.self) { _ in onToolsChanged() }

        let completion = Completion<Initialize.Result>()
        Task {
            do {
                completion.resolve(.success(try await client.connect(transport: channel)))
            } catch {
                completion.resolve(.failure(error))
            }
        }
        let timer = Task {
            try await Task.sleep(for: configuration.handshakeTimeout)
            completion.resolve(.failure(HandshakeTimedOut()))
        }
        let token = tripwire.listen { completion.resolve(.failure($0)) }
        defer {
            timer.cancel()
            tripwire.remove(token)
        }
        let result: Initialize.Result
        do {
            result = try await withTaskCancellationHandler {
                try await completion.value()
            } onCancel: {
                completion.resolve(.failure(CancellationError()))
            }
        } catch {
            let failure: MCPClientError
            switch error {
            case let error as MCPClientError: failure = error
            case is HandshakeTimedOut:
                failure = .handshakeTimeout(server: server, after: configuration.handshakeTimeout, stderr: await channel.recentStderr)
            case is CancellationError: failure = .cancelled(server: server, method: "initialize")
            case let error as MCP.MCPError: failure = .handshakeFailed(server: server, reason: "it answered initialize with an error: \(Self.text(of: error)) (JSON-RPC error \(error.code))")
            default: failure = .handshakeFailed(server: server, reason: "its answer to initialize could not be read (\(error))")
            }
            tripwire.trip(failure)
            await client.disconnect()
            throw failure
        }
        guard Version.supported.contains(result.protocolVersion) else {
            let failure = MCPClientError.handshakeFailed(
                server: server, reason: "it chose protocol version \(result.protocolVersion), which this client does not speak (it speaks \(Version.supported.sorted().joined(separator: ", ")))")
            tripwire.trip(failure)
            await client.disconnect()
            throw failure
        }
        let info = MCPServerInfo(
            name: result.serverInfo.name, version: result.serverInfo.version, protocolVersion: result.protocolVersion,
            instructions: result.instructions, announcesToolListChanges: result.capabilities.tools?.listChanged ?? false)
        return MCPSession(server: server, info: info, tripwire: tripwire, client: client)
    }

    /// Sends `request` and waits for its answer, until `timeout`, the task's cancellation or the
    /// end of the session, whichever comes first. A timed-out or cancelled request is cancelled on
    /// the server with `notifications/cancelled`.
    func request<M: MCP.Method>(_ request: Request<M>, timeout: Duration, label: String) async throws(MCPClientError) -> M.Result {
        if let error = tripwire.error { throw error }
        if Task.isCancelled { throw .cancelled(server: server, method: label) }
        let context: RequestContext<M.Result>
        do {
            context = try await client.send(request)
        } catch {
            throw translate(error, label: label)
        }
        let completion = Completion<M.Result>()
        Task {
            do {
                completion.resolve(.success(try await context.value))
            } catch {
                completion.resolve(.failure(error))
            }
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            completion.resolve(.failure(MCPClientError.callTimeout(server: server, method: label, after: timeout)))
        }
        let token = tripwire.listen { completion.resolve(.failure($0)) }
        defer {
            timer.cancel()
            tripwire.remove(token)
        }
        do {
            return try await withTaskCancellationHandler {
                try await completion.value()
            } onCancel: {
                completion.resolve(.failure(CancellationError()))
            }
        } catch {
            let failure = translate(error, label: label)
            switch failure {
            case .callTimeout, .cancelled:
                let client = self.client
                let id = context.requestID
                Task { try? await client.cancelRequest(id, reason: failure.message) }
            default:
                break
            }
            throw failure
        }
    }

    /// Ends the session: fails what is in flight with `reason`, then stops the transport (for a
    /// process: closes its input, waits, terminates it, reaps it).
    func close(_ reason: MCPClientError) async {
        tripwire.trip(reason)
        await client.disconnect()
    }

    private func translate(_ error: any Error, label: String) -> MCPClientError {
        switch error {
        case let error as MCPClientError:
            return error
        case is CancellationError:
            return .cancelled(server: server, method: label)
        case let error as MCP.MCPError:
            if let ended = tripwire.error { return ended }
            switch error {
            case .connectionClosed, .transportError:
                return .connectionFailed(server: server, reason: Self.text(of: error))
            default:
                return .serverError(server: server, code: error.code, message: Self.text(of: error))
            }
        default:
            if let ended = tripwire.error { return ended }
            return .malformedMessage(server: server, reason: "the answer to \(label) has an unexpected shape", excerpt: "\(error)")
        }
    }

    /// The server's own message in an SDK error.
    private static func text(of error: MCP.MCPError) -> String {
        switch error {
        case let .parseError(detail), let .invalidRequest(detail), let .methodNotFound(detail), let .invalidParams(detail), let .internalError(detail):
            return detail ?? error.localizedDescription
        case let .serverError(_, message), let .urlElicitationRequired(message, _):
            return message
        case .connectionClosed, .transportError:
            return error.localizedDescription
        }
    }
}
