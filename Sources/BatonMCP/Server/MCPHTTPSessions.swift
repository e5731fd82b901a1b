import Foundation
import MCP

/// The streamable HTTP sessions of an ``MCPToolServer``: each `initialize` request without a
/// session starts an SDK server on its own `StatefulHTTPServerTransport`; later requests go to
/// the session their `MCP-Session-Id` header names; `DELETE` ends the session.
actor MCPHTTPSessions {
    private struct Session {
        let server: Server
        let transport: StatefulHTTPServerTransport
    }

    private let server: MCPToolServer
    private var sessions: [String: Session] = [:]

    init(server: MCPToolServer) {
        self.server = server
    }

    /// The response to one HTTP request on the MCP endpoint.
    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        if let id = request.header(HTTPHeaderName.sessionID) {
            guard let session = sessions[id] else {
                return .error(statusCode: 404, .invalidRequest("Not Found: no session '\(id)'; initialize a new session"))
            }
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 {
                sessions[id] = nil
                await session.server.stop()
            }
            return response
        }
        guard request.method.uppercased() == "POST" else {
            return .error(statusCode: 400, .invalidRequest("Bad Request: \(HTTPHeaderName.sessionID) header is required"))
        }
        let session = Session(server: server.makeServer(), transport: StatefulHTTPServerTransport())
        await server.register(on: session.server)
        do {
            try await session.server.start(transport: session.transport)
        } catch {
            return .error(statusCode: 500, .internalError("cannot start a session: \(error)"))
        }
        let response = await session.transport.handleRequest(request)
        if let id = response.headers.first(where: { $0.key.lowercased() == HTTPHeaderName.sessionID.lowercased() })?.value {
            sessions[id] = session
        } else {
            await session.server.stop()
        }
        return response
    }
}
