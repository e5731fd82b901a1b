import BatonCore
import BatonTools
import Foundation
import Testing

/// `http.request` against a real HTTP server on 127.0.0.1, always through a `ToolBox`.
@Suite struct HTTPRequestToolTests {
    /// A fresh server, so that its connection count belongs to one test, and a box with the tool.
    struct Fixture {
        let server: TestHTTPServer
        let box: ToolBox

        init(
            allowedHosts: [String]? = nil, methods: Set<HTTPRequestTool.Method> = Set(HTTPRequestTool.Method.allCases),
            maxResponseBytes: Int = HTTPRequestTool.defaultMaxResponseBytes, timeout: Duration = .seconds(60)
        ) async throws {
            server = try await TestHTTPServer.start()
            let tool = try HTTPRequestTool(
                allowedHosts: allowedHosts ?? ["127.0.0.1:\(server.port)"], methods: methods, maxResponseBytes: maxResponseBytes, timeout: timeout
            )
            box = try ToolBox([tool])
        }

        func call(_ arguments: JSON) async throws -> JSON { try await box.call("http.request", arguments: arguments) }
        func failure(_ arguments: JSON, sourceLocation: SourceLocation = #_sourceLocation) async -> ToolError? {
            await box.failure("http.request", arguments, sourceLocation: sourceLocation)
        }
    }

    @Test func anAllowedHostAnswers() async throws {
        let fixture = try await Fixture()
        defer { Task { [server = fixture.server] in await server.stop() } }
        let result = try await fixture.call(["url": .string(fixture.server.url("/hello"))])
        #expect(result["status"] == 200)
        #expect(result["body"] == "hello")
        #expect(result["headers"]?["content-type"] == "text/plain; charset=utf-8")
        #expect(result["url"] == .string(fixture.server.url("/hello")))
        #expect(result["json"] == nil)
    }

    @Test func aJSONBodyIsAlsoParsed() async throws {
        let fixture = try await Fixture()
        defer { Task { [server = fixture.server] in await server.stop() } }
        let result = try await fixture.call(["method": "GET", "url": .string(fixture.server.url("/json"))])
        #expect(result["json"] == ["ok": true, "items": [1, 2]])
        #expect(result["body"]?.stringValue?.contains("\"ok\"") == true)
    }

    @Test func aJSONRequestBodyIsSentWithItsTypeAndTheIdempotencyKey() async throws {
        let fixture = try await Fixture()
        defer { Task { [server = fixture.server] in await server.stop() } }
        let result = try await fixture.call([
            "method": "POST", "url": .string(fixture.server.url("/echo")), "headers": ["X-Trace": "abc"], "body": ["name": "Ada"],
        ])
        let echo = try #require(result["json"])
        #expect(echo["method"] == "POST")
        #expect(echo["body"] == #"{"name":"Ada"}"#)
        #expect(echo["headers"]?["content-type"] == "application/json")
        #expect(echo["headers"]?["x-trace"] == "abc")
        #expect(echo["headers"]?["idempotency-key"]?.stringValue?.isEmpty == false)

        let text = try await fixture.call([
            "method": "PUT", "url": .string(fixture.server.url("/echo")), "body": "plain text",
            "headers": ["Content-Type": "text/plain", "Idempotency-Key": "mine"],
        ])
        #expect(text["json"]?["body"] == "plain text")
        #expect(text["json"]?["headers"]?["content-type"] == "text/plain")
        #expect(text["json"]?["headers"]?["idempotency-key"] == "mine")
    }

    @Test func aHostNotOnTheListIsRefusedBeforeAnyConnection() async throws {
        let fixture = try await Fixture(allowedHosts: ["example.com", "*.example.com", "127.0.0.1:1"])
        defer { Task { [server = fixture.server] in await server.stop() } }
        let error = await fixture.failure(["url": .string(fixture.server.url("/hello"))])
        #expect(error?.code == "host_not_allowed")
        #expect(error?.retryable == false)
        #expect(error?.message.contains("127.0.0.1:\(fixture.server.port) is not on the list of allowed hosts (example.com, *.example.com, 127.0.0.1:1)") == true)
        #expect(await fixture.failure(["url": .string("http://localhost:\(fixture.server.port)/hello")])?.code == "host_not_allowed")
        #expect(fixture.server.connections == 0)
    }

    @Test func aRedirectIsFollowedOnlyToAllowedHosts() async throws {
        let fixture = try await Fixture()
        defer { Task { [server = fixture.server] in await server.stop() } }
        let followed = try await fixture.call(["url": .string(fixture.server.url("/redirect?to=/hello"))])
        #expect(followed["status"] == 200)
        #expect(followed["body"] == "hello")
        #expect(followed["url"] == .string(fixture.server.url("/hello")))

        // 303 after a POST continues as a GET without the body.
        let seeOther = try await fixture.call([
            "method": "POST", "url": .string(fixture.server.url("/redirect?to=/echo&status=303")), "body": "payload",
        ])
        #expect(seeOther["json"]?["method"] == "GET")
        #expect(seeOther["json"]?["body"] == "")
        // 307 keeps the method and the body.
        let temporary = try await fixture.call([
            "method": "POST", "url": .string(fixture.server.url("/redirect?to=/echo&status=307")), "body": "payload",
        ])
        #expect(temporary["json"]?["method"] == "POST")
        #expect(temporary["json"]?["body"] == "payload")

        let elsewhere = "http://localhost:\(fixture.server.port)/hello"
        let refused = await fixture.failure(["url": .string(fixture.server.url("/redirect?to=\(elsewhere)"))])
        #expect(refused?.code == "host_not_allowed")
        #expect(refused?.message.contains("redirected to localhost:\(fixture.server.port)") == true)

        let loop = await fixture.failure(["url": .string(fixture.server.url("/loop"))])
        #expect(loop?.code == "too_many_redirects")
    }

    @Test func aResponseOverTheLimitFailsCleanly() async throws {
        let fixture = try await Fixture(maxResponseBytes: 1_000)
        defer { Task { [server = fixture.server] in await server.stop() } }
        #expect(try await fixture.call(["url": .string(fixture.server.url("/big?bytes=1000"))])["body"]?.stringValue?.count == 1_000)

        let declared = await fixture.failure(["url": .string(fixture.server.url("/big?bytes=5000000"))])
        #expect(declared?.code == "response_too_large")
        #expect(declared?.message.contains("5000000 bytes, over the limit of 1000 bytes") == true)
        #expect(declared?.retryable == false)

        let streamed = await fixture.failure(["url": .string(fixture.server.url("/stream?bytes=5000000"))])
        #expect(streamed?.code == "response_too_large")
        #expect(try await fixture.call(["url": .string(fixture.server.url("/stream?bytes=1000"))])["body"]?.stringValue?.count == 1_000)
    }

    @Test func theDefaultLimitIsOneMebibyte() async throws {
        // A megabyte through a local server: a generous timeout for a loaded machine.
        let fixture = try await Fixture(timeout: .seconds(60))
        defer { Task { [server = fixture.server] in await server.stop() } }
        #expect(try await fixture.call(["url": .string(fixture.server.url("/big?bytes=1048576"))])["status"] == 200)
        #expect(await fixture.failure(["url": .string(fixture.server.url("/stream?bytes=1048577"))])?.code == "response_too_large")
    }

    @Test func aSlowServerTimesOut() async throws {
        let fixture = try await Fixture(timeout: .milliseconds(300))
        defer { Task { [server = fixture.server] in await server.stop() } }
        let started = ContinuousClock.now
        let error = await fixture.failure(["url": .string(fixture.server.url("/slow?ms=20000"))])
        #expect(error == .timedOut(tool: "http.request", after: .milliseconds(300)))
        // Far below the server's 20 s, with room for a loaded machine (the whole suite runs at once).
        #expect(ContinuousClock.now - started < .seconds(12))
    }

    @Test func badURLsAreRefused() async throws {
        let fixture = try await Fixture(allowedHosts: ["127.0.0.1:*", "localhost:*"])
        defer { Task { [server = fixture.server] in await server.stop() } }
        for url in ["not a url", "/relative/path", "127.0.0.1/hello", "ftp://127.0.0.1/file", "file:///etc/passwd", "http:///nohost"] {
            // A box of its own for each: five failures in a row would open the circuit breaker.
            let box = try ToolBox([HTTPRequestTool(allowedHosts: ["127.0.0.1:*", "localhost:*"])])
            let error = await box.failure("http.request", ["url": .string(url)])
            #expect(error?.code == "invalid_url", "\(url): \(String(describing: error))")
            #expect(error?.retryable == false)
        }
        #expect(await fixture.failure(["url": ""])?.isInvalidArguments == true)
        #expect(await fixture.failure([:])?.isInvalidArguments == true)
        #expect(fixture.server.connections == 0)
    }

    @Test func aStatusOtherThan2xxIsAResult() async throws {
        let fixture = try await Fixture()
        defer { Task { [server = fixture.server] in await server.stop() } }
        let missing = try await fixture.call(["url": .string(fixture.server.url("/status/404"))])
        #expect(missing["status"] == 404)
        #expect(missing["body"] == "status body")
        #expect(try await fixture.call(["url": .string(fixture.server.url("/status/503"))])["status"] == 503)
    }

    @Test func nothingListeningIsARetryableConnectionFailure() async throws {
        let fixture = try await Fixture(allowedHosts: ["127.0.0.1:*"])
        let port = fixture.server.port
        await fixture.server.stop()
        try await Task.sleep(for: .milliseconds(100))
        let error = await fixture.failure(["url": .string("http://127.0.0.1:\(port)/hello")])
        #expect(error?.code == "connection_failed")
        #expect(error?.retryable == true)
    }

    @Test func theReadOnlyVariantOnlyGetsAndHeads() async throws {
        let fixture = try await Fixture(methods: [.get, .head])
        defer { Task { [server = fixture.server] in await server.stop() } }
        let contract = try #require(fixture.box.contract("http.request"))
        #expect(contract.effect == .readOnly)
        #expect(contract.risk == .low)
        #expect(contract.retry.maxAttempts > 1)
        #expect(await fixture.failure(["method": "POST", "url": .string(fixture.server.url("/echo"))])?.isInvalidArguments == true)
        let head = try await fixture.call(["method": "HEAD", "url": .string(fixture.server.url("/hello"))])
        #expect(head["status"] == 200)
        #expect(head["body"] == "")
    }

    @Test func theFullToolIsSideEffecting() throws {
        let tool = try HTTPRequestTool(allowedHosts: ["api.example.com"])
        #expect(tool.contract.effect == .sideEffecting)
        #expect(tool.contract.retry.maxAttempts == 1)
        #expect(tool.contract.description.contains("api.example.com"))
        let postOnly = try HTTPRequestTool(allowedHosts: ["api.example.com"], methods: [.post])
        #expect(postOnly.contract.inputSchema["required"] == ["method", "url"])
        #expect(throws: HTTPToolError.invalidConfiguration("give at least one method")) { try HTTPRequestTool(allowedHosts: [], methods: []) }
    }

    @Test func malformedHeadersAreRefused() async throws {
        let fixture = try await Fixture()
        defer { Task { [server = fixture.server] in await server.stop() } }
        let url = JSON.string(fixture.server.url("/echo"))
        #expect(await fixture.failure(["url": url, "headers": ["Bad Name": "x"]])?.isInvalidArguments == true)
        #expect(await fixture.failure(["url": url, "headers": ["X-Injected": "a\r\nHost: evil"]])?.isInvalidArguments == true)
        #expect(await fixture.failure(["url": url, "headers": ["X-Number": 3]])?.isInvalidArguments == true)
        let host = await fixture.failure(["url": url, "headers": ["Host": "evil.example.com"]])
        #expect(host?.code == "forbidden_header")
        #expect(await fixture.failure(["url": url, "headers": ["Content-Length": "1"]])?.code == "forbidden_header")
        #expect(fixture.server.connections == 0)
    }

    @Test func everyBuiltinToolRegisters() async throws {
        let root = try TemporaryDirectory()
        let tools = try BuiltinTools.all(sandboxRoot: root.path, allowedHosts: ["api.example.com"])
        let box = try ToolBox(tools)
        #expect(box.contracts.map(\.name) == ["file.list", "file.read", "file.write", "http.request"])
        #expect(throws: ToolError.self) { try BuiltinTools.all(sandboxRoot: root.at("missing"), allowedHosts: []) }
        #expect(throws: ToolError.self) { try BuiltinTools.all(sandboxRoot: root.path, allowedHosts: ["bad host"]) }
    }
}
