import BatonCore
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real HTTP/1.1 server on 127.0.0.1 and a free port that answers each request with the steps
/// a handler scripts: a head, body pieces, pauses, the end, or a broken connection. Tests use it
/// to serve providers' documented answers and every way an answer can go wrong; the
/// ``FaultInjectingModelServer`` is built on it.
///
/// ```swift
/// let server = try await LocalHTTPServer.start { request in
///     HTTPReplyStep.json(#"{"ok": true}"#)
/// }
/// defer { Task { await server.shutdown() } }
/// // POST to server.url("/v1/chat/completions") …
/// ```
///
/// Every request it receives is kept, in order, in ``requests``. A handler runs on its
/// connection's task; a ``HTTPReplyStep/pause(_:)`` ends early when the server shuts down.
public final class LocalHTTPServer: Sendable {
    /// Answers one request with the steps to perform, in order.
    public typealias Handler = @Sendable (ReceivedHTTPRequest) async -> [HTTPReplyStep]

    /// The port it listens on.
    public let port: Int
    private let channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    private let handler: Handler
    private let received = Mutex<[ReceivedHTTPRequest]>([])
    private let serving = Mutex<Task<Void, Never>?>(nil)

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `http://127.0.0.1:PORT` followed by `path`.
    public func url(_ path: String) -> String { baseURL + path }

    /// The requests received so far, in the order they arrived.
    public var requests: [ReceivedHTTPRequest] { received.withLock { $0 } }

    private init(
        channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>, handler: @escaping Handler
    ) {
        self.channel = channel
        self.port = channel.channel.localAddress?.port ?? 0
        self.handler = handler
    }

    /// Starts a server that answers with `handler`; it serves until ``shutdown()``.
    public static func start(handler: @escaping Handler) async throws -> LocalHTTPServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: child)
                }
            }
        let server = LocalHTTPServer(channel: channel, handler: handler)
        let task = Task { await server.serve() }
        server.serving.withLock { $0 = task }
        return server
    }

    /// Stops accepting connections and ends the open ones (a pausing answer stops pausing).
    public func shutdown() async {
        try? await channel.channel.close()
        let task = serving.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    private func serve() async {
        try? await withTaskCancellationHandler {
            try await channel.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { try? await self.handle(connection) }
                    }
                }
            }
        } onCancel: {
            channel.channel.close(promise: nil)
        }
    }

    private func handle(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case let .head(received):
                    head = received
                    body.removeAll()
                case let .body(chunk):
                    body.append(contentsOf: chunk.readableBytesView)
                case .end:
                    guard let head else { continue }
                    let request = ReceivedHTTPRequest(
                        method: head.method.rawValue, uri: head.uri,
                        headers: Dictionary(head.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first }),
                        body: body
                    )
                    received.withLock { $0.append(request) }
                    let keepOpen = try await perform(await handler(request), on: connection.channel, outbound)
                    if !keepOpen { return }
                }
            }
        }
    }

    /// Performs `steps`; false when the connection was closed by them.
    private func perform(
        _ steps: [HTTPReplyStep], on channel: any Channel, _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws -> Bool {
        for step in steps {
            switch step {
            case let .head(status, headers):
                let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: HTTPHeaders(headers.map { ($0.name, $0.value) }))
                try await outbound.write(.head(head))
            case let .body(bytes):
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
            case let .pause(duration):
                try await Task.sleep(for: duration)
            case .end:
                try await outbound.write(.end(nil))
            case .close:
                try await channel.close()
                return false
            case .reset:
                // SO_LINGER with a zero timeout makes close() send a TCP reset instead of a FIN.
                if let options = channel as? any SocketOptionProvider {
                    try? await options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
                }
                try await channel.close()
                return false
            }
        }
        return true
    }
}
