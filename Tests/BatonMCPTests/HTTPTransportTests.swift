import BatonCore
import BatonMCP
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The streamable HTTP transport against a real server of the MCP Python SDK, answering with
/// event streams or with plain JSON.
@Suite(.enabled(if: PythonServers.available, PythonServers.skipReason))
struct HTTPTransportTests {
    static func configuration(_ url: URL, name: String = "remote", callTimeout: Duration = .seconds(30)) -> MCPServerConfiguration {
        MCPServerConfiguration(name: name, transport: .http(url: url, headers: ["X-Baton-Test": "yes"]), callTimeout: callTimeout)
    }

    @Test(arguments: [false, true])
    func toolsAndCallsWorkOverEventStreamsAndJSON(json: Bool) async throws {
        try await withHTTPFixture(json: json) { fixture in
            try await withConnection(Self.configuration(fixture.url)) { remote in
                try await remote.start()
                let info = try #require(await remote.serverInfo)
                #expect(info.name == "baton-fixture")
                #expect(info.instructions == "A server for tests.")
                let tools = try await remote.tools()
                #expect(Set(tools.map(\.name)).isSuperset(of: ["echo", "sleep", "headers", "add_tool"]))
                let echo = try await remote.call(tool: "echo", arguments: ["text": "över HTTP, ünïcode ✓"])
                #expect(echo.text == "över HTTP, ünïcode ✓")
                #expect(echo.structuredContent == ["result": "över HTTP, ünïcode ✓"])
            }
        }
    }

    @Test func everyRequestAfterTheHandshakeCarriesTheSessionAndProtocolVersion() async throws {
        try await withHTTPFixture { fixture in
            try await withConnection(Self.configuration(fixture.url)) { remote in
                let firstResult = try await remote.call(tool: "headers", arguments: [:])
                let first = try #require(firstResult.structuredContent)
                let secondResult = try await remote.call(tool: "headers", arguments: [:])
                let second = try #require(secondResult.structuredContent)
                #expect(first["mcp-protocol-version"] == "2025-11-25")
                let session = try #require(first["mcp-session-id"]?.stringValue)
                #expect(!session.isEmpty)
                #expect(second["mcp-session-id"] == .string(session))
                #expect(first["accept"]?.stringValue?.contains("text/event-stream") == true)
                #expect(first["accept"]?.stringValue?.contains("application/json") == true)
                #expect(first["x-baton-test"] == "yes")
            }
        }
    }

    @Test func anEventStreamCutShortIsResumedWithLastEventID() async throws {
        try await withHTTPFixture { fixture in
            try await withConnection(Self.configuration(fixture.url)) { remote in
                let result = try await remote.call(tool: "interrupted", arguments: ["text": "resumed"])
                #expect(result.text == "after the break: resumed")
            }
        }
    }

    @Test func aToolListChangeArrivesOverHTTP() async throws {
        let log = EventLog()
        try await withHTTPFixture { fixture in
            try await withConnection(Self.configuration(fixture.url), log: log) { remote in
                let toolsBefore = try await remote.tools()
                #expect(!toolsBefore.contains { $0.name == "whisper" })
                _ = try await remote.call(tool: "add_tool", arguments: ["name": "whisper"])
                let announced = await log.wait { events in
                    events.contains { if case let .toolsChanged(tools) = $0 { tools.contains { $0.name == "whisper" } } else { false } }
                }
                #expect(announced)
                let whisper = try await remote.call(tool: "whisper", arguments: ["text": "psst"])
                #expect(whisper.text == "psst")
            }
        }
    }

    @Test func aSlowCallTimesOutAndTheSessionGoesOn() async throws {
        try await withHTTPFixture { fixture in
            try await withConnection(Self.configuration(fixture.url, name: "slow")) { remote in
                let error = await #expect(throws: MCPClientError.self) {
                    try await remote.call(tool: "sleep", arguments: ["seconds": 30], timeout: .milliseconds(300))
                }
                #expect(error == .callTimeout(server: "slow", method: "tools/call sleep", after: .milliseconds(300)))
                let call = Task { try await remote.call(tool: "sleep", arguments: ["seconds": 30]) }
                try await Task.sleep(for: .milliseconds(200))
                call.cancel()
                await #expect(throws: MCPClientError.cancelled(server: "slow", method: "tools/call sleep")) { try await call.value }
                let echo = try await remote.call(tool: "echo", arguments: ["text": "fine"])
                #expect(echo.text == "fine")
            }
        }
    }

    @Test func aServerThatForgetsTheSessionIsReconnected() async throws {
        let log = EventLog()
        let first = try await HTTPFixture.start()
        let port = first.port
        var second: HTTPFixture?
        defer { if let second { Task { await second.stop() } } }
        try await withConnection(Self.configuration(first.url), log: log) { remote in
            let echo = try await remote.call(tool: "echo", arguments: ["text": "one"])
            #expect(echo.text == "one")
            await first.stop()
            second = try await HTTPFixture.start(port: port)
            // The listening stream or the next call finds the session gone; a call after that
            // starts a new session.
            var answer: String?
            for _ in 0..<3 where answer == nil {
                do throws(MCPClientError) {
                    answer = try await remote.call(tool: "echo", arguments: ["text": "two"]).text
                } catch {
                    #expect(["mcp_session_expired", "mcp_connection_failed"].contains(error.code))
                }
            }
            #expect(answer == "two")
            #expect(log.all.contains(.stopped(.sessionExpired(server: "remote"))))
            #expect(log.starts == 2)
        }
        await first.stop()
        await second?.stop()
    }

    @Test func shutdownEndsTheSessionOnTheServer() async throws {
        try await withHTTPFixture { fixture in
            let connection = MCPServerConnection(Self.configuration(fixture.url))
            let headers = try await connection.call(tool: "headers", arguments: [:])
            let session = try #require(headers.structuredContent?["mcp-session-id"]?.stringValue)
            await connection.shutdown()

            var request = URLRequest(url: fixture.url)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("application/json, text/event-stream", forHTTPHeaderField: "Accept")
            request.setValue(session, forHTTPHeaderField: "Mcp-Session-Id")
            request.setValue("2025-11-25", forHTTPHeaderField: "MCP-Protocol-Version")
            request.httpBody = Data(#"{"jsonrpc":"2.0","id":9,"method":"tools/list"}"#.utf8)
            let (_, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 404)
        }
    }

    @Test func aServerThatIsNotThereFailsToConnect() async throws {
        let url = try #require(URL(string: "http://127.0.0.1:1/mcp"))
        try await withConnection(Self.configuration(url, name: "nowhere")) { nowhere in
            let error = await #expect(throws: MCPClientError.self) { try await nowhere.start() }
            #expect(error?.code == "mcp_connection_failed")
            #expect(error?.server == "nowhere")
            #expect(error?.retryable == true)
        }
    }

    @Test func aWrongPathIsAnHTTPStatusError() async throws {
        try await withHTTPFixture { fixture in
            let url = try #require(URL(string: "http://127.0.0.1:\(fixture.port)/not-mcp"))
            try await withConnection(Self.configuration(url)) { remote in
                let error = await #expect(throws: MCPClientError.self) { try await remote.start() }
                guard case let .httpStatus(_, status, _)? = error else {
                    Issue.record("expected an HTTP status error, got \(String(describing: error))")
                    return
                }
                #expect(status == 404)
                #expect(error?.message.contains("Check the server's URL") == true)
            }
        }
    }

    @Test func aURLThatIsNotHTTPIsAConfigurationError() async throws {
        let url = try #require(URL(string: "ftp://127.0.0.1/mcp"))
        try await withConnection(Self.configuration(url, name: "ftp")) { ftp in
            let error = await #expect(throws: MCPClientError.self) { try await ftp.tools() }
            #expect(error == .invalidConfiguration(server: "ftp", reason: "'ftp://127.0.0.1/mcp' is not an http or https URL"))
        }
    }
}
