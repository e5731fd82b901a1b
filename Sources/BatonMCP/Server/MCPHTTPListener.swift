import Foundation
import MCP
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 server on swift-nio that hands the requests for one path to a
/// framework-agnostic MCP handler and writes its `HTTPResponse` back, streaming SSE bodies as
/// they come. Other paths answer 404.
struct MCPHTTPListener: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    let host: String
    let port: Int
    let path: String

    /// Binds the address, reports the bound port to `onListening`, and serves connections until
    /// the task is cancelled.
    func serve(onListening: @Sendable (Int) -> Void, handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) async throws {
        let listener: NIOAsyncChannel<Connection, Never>
        do {
            listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw MCPToolServerError.cannotListen(host: host, port: port, reason: "\(error)")
        }
        onListening(listener.channel.localAddress?.port ?? port)
        let path = path
        try await withThrowingDiscardingTaskGroup { group in
            try await listener.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { await Self.serve(connection, path: path, handler: handler) }
                }
            }
        }
    }

    /// Answers the requests of one connection in turn until the client closes it.
    private static func serve(_ connection: Connection, path: String, handler: @Sendable (HTTPRequest) async -> HTTPResponse) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case let .head(requestHead):
                    head = requestHead
                    body.clear()
                case var .body(chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let requestHead = head else { continue }
                    head = nil
                    let requestPath = String(requestHead.uri.prefix { $0 != "?" })
                    guard requestPath == path else {
                        try await write(status: .notFound, headers: ["Content-Type": "text/plain"], body: Data("no MCP endpoint here; use \(path)\n".utf8), to: outbound)
                        continue
                    }
                    var headers: [String: String] = [:]
                    for (name, value) in requestHead.headers {
                        headers[name] = headers[name].map { "\($0), \(value)" } ?? value
                    }
                    let bytes = body.readBytes(length: body.readableBytes) ?? []
                    let request = HTTPRequest(method: requestHead.method.rawValue, headers: headers, body: bytes.isEmpty ? nil : Data(bytes), path: requestPath)
                    try await write(await handler(request), to: outbound)
                    guard requestHead.isKeepAlive else { return }
                }
            }
        }
    }

    /// Writes an MCP response: a streaming one chunk by chunk until its stream ends.
    private static func write(_ response: HTTPResponse, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        let status = HTTPResponseStatus(statusCode: response.statusCode)
        guard case let .stream(events, headers) = response else {
            try await write(status: status, headers: response.headers, body: response.bodyData ?? Data(), to: outbound)
            return
        }
        var fields = HTTPHeaders(headers.map { ($0.key, $0.value) })
        fields.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: fields)))
        do {
            for try await event in events {
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: event))))
            }
        } catch is CancellationError {
            // The server is stopping: end the body so the client sees a complete response.
        } catch {
            // The session ended the stream with an error; the client sees the stream end and may reconnect.
        }
        try await outbound.write(.end(nil))
    }

    /// Writes a whole response with a `Content-Length`.
    private static func write(
        status: HTTPResponseStatus, headers: [String: String], body: Data, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var fields = HTTPHeaders(headers.map { ($0.key, $0.value) })
        fields.replaceOrAdd(name: "Content-Length", value: String(body.count))
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: fields)))
        if !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
        try await outbound.write(.end(nil))
    }
}
