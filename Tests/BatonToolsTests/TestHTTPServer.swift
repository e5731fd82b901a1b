import BatonCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 and a free port, for the tests of `http.request`.
///
/// Routes: `/hello` (text), `/json` (a JSON object), `/echo` (the request as JSON),
/// `/status/CODE`, `/big?bytes=N` (declared length), `/stream?bytes=N` (chunked, no declared
/// length), `/slow?ms=N`, `/redirect?to=URL&status=CODE`, `/loop` (redirects to itself).
/// It counts the connections it accepts.
final class TestHTTPServer: Sendable {
    let port: Int
    private let channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    private let accepted = Atomic<Int>(0)

    /// How many connections the server has accepted.
    var connections: Int { accepted.load(ordering: .sequentiallyConsistent) }

    /// `http://127.0.0.1:PORT` followed by `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    private init(channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// Starts a server; it serves until ``stop()``.
    static func start() async throws -> TestHTTPServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: child)
                }
            }
        let server = TestHTTPServer(channel: channel, port: channel.channel.localAddress?.port ?? 0)
        Task { await server.serve() }
        return server
    }

    /// Stops accepting connections.
    func stop() async {
        try? await channel.channel.close()
    }

    private func serve() async {
        try? await channel.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in inbound {
                    accepted.add(1, ordering: .sequentiallyConsistent)
                    group.addTask { try? await self.handle(connection) }
                }
            }
        }
    }

    private func handle(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case let .head(received):
                    head = received
                    body.clear()
                case var .body(chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let head else { continue }
                    try await respond(to: head, body: body, outbound: outbound)
                }
            }
        }
    }

    private func respond(to head: HTTPRequestHead, body: ByteBuffer, outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        let components = URLComponents(string: "http://server" + head.uri)
        let path = components?.path ?? "/"
        let query = Dictionary((components?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let number = { (name: String) in Int(query[name] ?? "") ?? 0 }

        func send(_ status: HTTPResponseStatus, _ text: String, type: String = "text/plain; charset=utf-8", headers extra: [(String, String)] = []) async throws {
            var headers = HTTPHeaders([("content-type", type), ("content-length", String(text.utf8.count))])
            headers.add(contentsOf: extra)
            try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
            if head.method != .HEAD { try await outbound.write(.body(.byteBuffer(ByteBuffer(string: text)))) }
            try await outbound.write(.end(nil))
        }

        switch path {
        case "/hello":
            try await send(.ok, "hello")
        case "/json":
            try await send(.ok, #"{"ok": true, "items": [1, 2]}"#, type: "application/json")
        case "/echo":
            var headers: [String: JSON] = [:]
            for header in head.headers { headers[header.name.lowercased()] = .string(header.value) }
            let echo: JSON = ["method": .string(head.method.rawValue), "headers": .object(headers), "body": .string(String(buffer: body))]
            try await send(.ok, echo.canonicalString, type: "application/json")
        case let path where path.hasPrefix("/status/"):
            try await send(HTTPResponseStatus(statusCode: Int(path.dropFirst("/status/".count)) ?? 500), "status body")
        case "/big":
            try await send(.ok, String(repeating: "x", count: number("bytes")))
        case "/stream":
            try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["transfer-encoding": "chunked"])))
            var remaining = number("bytes")
            while remaining > 0 {
                let size = min(remaining, 64 * 1024)
                try await outbound.write(.body(.byteBuffer(ByteBuffer(repeating: UInt8(ascii: "y"), count: size))))
                remaining -= size
            }
            try await outbound.write(.end(nil))
        case "/slow":
            try await Task.sleep(for: .milliseconds(number("ms")))
            try await send(.ok, "finally")
        case "/redirect":
            let status = number("status") == 0 ? 302 : number("status")
            try await send(HTTPResponseStatus(statusCode: status), "moved", headers: [("location", query["to"] ?? "/")])
        case "/loop":
            try await send(.found, "again", headers: [("location", "/loop")])
        default:
            try await send(.notFound, "no route \(path)")
        }
    }
}
