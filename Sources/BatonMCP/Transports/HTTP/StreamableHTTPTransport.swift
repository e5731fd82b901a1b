import AsyncHTTPClient
import BatonCore
import Foundation
import Logging
import MCP
import NIOCore

/// The streamable HTTP transport of MCP, on AsyncHTTPClient.
///
/// Each message is POSTed to the endpoint. The server answers a request with one JSON message
/// (`application/json`) or a stream of server-sent events (`text/event-stream`) that carries the
/// answer and any messages before it; notifications and responses get `202 Accepted`. The session
/// id the server assigns (`Mcp-Session-Id`) and the protocol version it agreed to
/// (`MCP-Protocol-Version`) go with every later request. A stream that ends before its answer is
/// resumed with `GET` and `Last-Event-ID` when the server numbered its events. After the handshake
/// a `GET` stream listens for messages the server sends on its own (tool list changes); a server
/// that offers none answers 405 and is left alone. ``disconnect()`` ends the session with `DELETE`.
///
/// A 404 to a request that carries the session id means the server forgot the session: the
/// transport trips its ``Tripwire`` with ``MCPClientError/sessionExpired(server:)``.
actor StreamableHTTPTransport: MCPChannel {
    nonisolated let logger = Logger(label: "baton.mcp.http", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The client all HTTP transports share. It lives as long as the process, so it is never shut
    /// down (AsyncHTTPClient traps on a client released without shutdown). No read timeout: event
    /// streams may be quiet for long; requests are bounded by the connection's timeouts instead.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: nil)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// The largest JSON answer accepted, in bytes.
    static let maximumBodySize = 64 << 20
    /// How often a stream that ended before its answer is resumed.
    static let resumeAttempts = 3

    private let server: String
    private let endpoint: String
    private let headers: [String: String]
    private let tripwire: Tripwire
    private let incoming: AsyncThrowingStream<Data, any Error>
    private let incomingContinuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var sessionID: String?
    private var protocolVersion: String?
    private var initializeID: JSON?
    private var exchanges: [UUID: Task<Void, any Error>] = [:]
    private var exchangeOfRequest: [JSON: UUID] = [:]
    private var listener: Task<Void, Never>?
    private var closed = false

    init(server: String, url: URL, headers: [String: String], tripwire: Tripwire) {
        self.server = server
        self.endpoint = url.absoluteString
        self.headers = headers
        self.tripwire = tripwire
        (incoming, incomingContinuation) = AsyncThrowingStream.makeStream()
    }

    var recentStderr: [String] { [] }

    /// Nothing to open: the initialize request starts the session.
    func connect() async throws {}

    func disconnect() async {
        guard !closed else { return }
        closed = true
        listener?.cancel()
        for exchange in exchanges.values { exchange.cancel() }
        if sessionID != nil {
            var request = HTTPClientRequest(url: endpoint)
            request.method = .DELETE
            addSessionHeaders(to: &request)
            _ = try? await Self.client.execute(request, timeout: .seconds(2))
        }
        incomingContinuation.finish()
    }

    nonisolated func receive() -> AsyncThrowingStream<Data, any Error> { incoming }

    /// POSTs `data` and delivers the messages of the answer; throws when the exchange fails, which
    /// fails the request it carried.
    func send(_ data: Data) async throws {
        if closed { throw MCPClientError.shutDown(server: server) }
        let outgoing = (try? JSONRPCMessage.decode(Array(data))) ?? []
        let awaited = Set(outgoing.compactMap { $0.method == nil ? nil : $0.id })
        for case let .request(id, "initialize", _) in outgoing { initializeID = id }
        // A cancelled request gets no answer: stop waiting for its stream.
        for case let .notification("notifications/cancelled", params?) in outgoing {
            if let id = params["requestId"], let token = exchangeOfRequest[id] { exchanges[token]?.cancel() }
        }
        let token = UUID()
        let exchange = Task { try await self.post(data, awaiting: awaited) }
        exchanges[token] = exchange
        for id in awaited { exchangeOfRequest[id] = token }
        defer {
            exchanges[token] = nil
            for id in awaited { exchangeOfRequest[id] = nil }
        }
        do {
            try await exchange.value
        } catch let error as MCPClientError {
            throw error
        } catch {
            if closed { throw MCPClientError.shutDown(server: server) }
            if exchange.isCancelled { throw CancellationError() }
            throw MCPClientError.connectionFailed(server: server, reason: "\(error)")
        }
        if outgoing.contains(where: { $0.method == "notifications/initialized" }), listener == nil, !closed {
            listener = Task { await self.listen() }
        }
    }

    private func post(_ data: Data, awaiting ids: Set<JSON>) async throws {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, text/event-stream")
        addSessionHeaders(to: &request)
        request.body = .bytes(ByteBuffer(bytes: data))
        let carriedSession = sessionID != nil
        let response = try await execute(request)
        if let id = response.headers.first(name: "Mcp-Session-Id"), !id.isEmpty { sessionID = id }
        switch response.status.code {
        case 202, 204:
            _ = try? await collect(response.body)
            return
        case 200..<300:
            break
        case 404 where carriedSession:
            tripwire.trip(.sessionExpired(server: server))
            throw MCPClientError.sessionExpired(server: server)
        default:
            throw MCPClientError.httpStatus(server: server, status: Int(response.status.code), body: await excerpt(of: response.body))
        }
        let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        if contentType.hasPrefix("text/event-stream") {
            try await readAnswers(from: response.body, answering: ids)
        } else {
            let bytes = try await collect(response.body)
            guard !bytes.isEmpty else {
                if ids.isEmpty { return }
                throw MCPClientError.malformedMessage(server: server, reason: "an empty answer to a request", excerpt: "")
            }
            guard contentType.hasPrefix("application/json") else {
                throw MCPClientError.malformedMessage(server: server, reason: "an answer of type '\(contentType)'", excerpt: JSONRPCMessage.excerpt(bytes))
            }
            _ = try deliver(bytes)
        }
    }

    /// Reads an event stream until every awaited request is answered, resuming it with
    /// `Last-Event-ID` when it ends early.
    private func readAnswers(from body: HTTPClientResponse.Body, answering ids: Set<JSON>) async throws {
        var pending = ids
        var parser = ServerSentEventParser()
        try await read(body, with: &parser) { pending.subtract(try self.deliver($0)) }
        var attempt = 0
        while !pending.isEmpty {
            guard let lastEventID = parser.lastEventID, attempt < Self.resumeAttempts else {
                throw MCPClientError.connectionFailed(server: server, reason: "the event stream ended before the server answered")
            }
            attempt += 1
            try await Task.sleep(for: .milliseconds(min(parser.retry ?? 500, 5000)))
            let response = try await execute(eventStreamRequest(lastEventID: lastEventID))
            guard (200..<300).contains(response.status.code) else {
                throw MCPClientError.httpStatus(server: server, status: Int(response.status.code), body: await excerpt(of: response.body))
            }
            parser = ServerSentEventParser(lastEventID: lastEventID)
            try await read(body: response.body, with: &parser, until: { pending.isEmpty }) { pending.subtract(try self.deliver($0)) }
        }
    }

    /// Listens on the `GET` stream for messages the server sends on its own, reconnecting (with
    /// `Last-Event-ID`) when it ends, until the transport closes or five attempts in a row fail.
    private func listen() async {
        var lastEventID: String?
        var failures = 0
        var wait: Duration = .seconds(1)
        while !Task.isCancelled, !closed, failures < 5 {
            do {
                let response = try await execute(eventStreamRequest(lastEventID: lastEventID))
                let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
                switch response.status.code {
                case 404 where sessionID != nil:
                    tripwire.trip(.sessionExpired(server: server))
                    return
                case 200..<300 where contentType.hasPrefix("text/event-stream"):
                    failures = 0
                    var parser = ServerSentEventParser(lastEventID: lastEventID)
                    try await read(response.body, with: &parser) { _ = try? self.deliver($0) }
                    lastEventID = parser.lastEventID
                    if let retry = parser.retry { wait = .milliseconds(retry) }
                default:
                    // 405: the server offers no such stream; anything else: nothing to listen to.
                    return
                }
            } catch {
                failures += 1
            }
            try? await Task.sleep(for: wait)
        }
    }

    private func read(_ body: HTTPClientResponse.Body, with parser: inout ServerSentEventParser, handle: (ServerSentEventParser.Event) throws -> Void) async throws {
        try await read(body: body, with: &parser, until: { false }, handle: handle)
    }

    private func read(body: HTTPClientResponse.Body, with parser: inout ServerSentEventParser, until done: () -> Bool, handle: (ServerSentEventParser.Event) throws -> Void) async throws {
        do {
            for try await chunk in body {
                for event in try parser.feed(chunk.readableBytesView) { try handle(event) }
                if done() { return }
            }
        } catch let error as ServerSentEventParser.Overflow {
            throw MCPClientError.malformedMessage(server: server, reason: error.description, excerpt: "")
        } catch let error as MCPClientError {
            throw error
        } catch {
            // The connection broke: what was parsed is kept and the caller may resume.
        }
        do {
            for event in try parser.finish() { try handle(event) }
        } catch let error as ServerSentEventParser.Overflow {
            throw MCPClientError.malformedMessage(server: server, reason: error.description, excerpt: "")
        }
    }

    /// Checks and delivers the messages of one answer; returns the ids of the requests it answers.
    private func deliver(_ event: ServerSentEventParser.Event) throws -> Set<JSON> {
        guard event.type == "message", !event.data.isEmpty else { return [] }
        return try deliver(Array(event.data.utf8))
    }

    private func deliver(_ bytes: [UInt8]) throws -> Set<JSON> {
        let messages: [JSONRPCMessage]
        do {
            messages = try JSONRPCMessage.decode(bytes)
        } catch {
            throw MCPClientError.malformedMessage(server: server, reason: error.reason, excerpt: error.excerpt)
        }
        for case let .response(id, result) in messages where id == initializeID {
            if case let .string(version)? = result["protocolVersion"] { protocolVersion = version }
        }
        incomingContinuation.yield(Data(bytes))
        // The messages without a method are answers; their ids are the requests they answer.
        return Set(messages.compactMap { $0.method == nil ? $0.id : nil })
    }

    private func eventStreamRequest(lastEventID: String?) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .GET
        request.headers.add(name: "Accept", value: "text/event-stream")
        addSessionHeaders(to: &request)
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        return request
    }

    private func addSessionHeaders(to request: inout HTTPClientRequest) {
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let sessionID { request.headers.replaceOrAdd(name: "Mcp-Session-Id", value: sessionID) }
        if let protocolVersion { request.headers.replaceOrAdd(name: "MCP-Protocol-Version", value: protocolVersion) }
    }

    private func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        do {
            return try await Self.client.execute(request, deadline: .distantFuture)
        } catch {
            throw closed ? MCPClientError.shutDown(server: server) : MCPClientError.connectionFailed(server: server, reason: "\(error)")
        }
    }

    private func collect(_ body: HTTPClientResponse.Body) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await chunk in body {
                bytes.append(contentsOf: chunk.readableBytesView)
                if bytes.count > Self.maximumBodySize {
                    throw MCPClientError.malformedMessage(server: server, reason: "an answer larger than \(Self.maximumBodySize >> 20) MiB", excerpt: "")
                }
            }
        } catch let error as MCPClientError {
            throw error
        } catch {
            throw MCPClientError.connectionFailed(server: server, reason: "the answer broke off (\(error))")
        }
        return bytes
    }

    /// The start of an error answer, as text.
    private func excerpt(of body: HTTPClientResponse.Body) async -> String {
        var bytes: [UInt8] = []
        do {
            for try await chunk in body {
                bytes.append(contentsOf: chunk.readableBytesView)
                if bytes.count > 4096 { break }
            }
        } catch {
            // Whatever arrived is enough for an error message.
        }
        return JSONRPCMessage.excerpt(bytes).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
