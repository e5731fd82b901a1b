import BatonCore
import BatonMCP
import Testing

/// The reference server mcp-server-time, over stdio: listing, calling, and what it refuses.
@Suite(.enabled(if: PythonServers.available, PythonServers.skipReason))
struct TimeServerTests {
    static let configuration = MCPServerConfiguration(
        name: "time", transport: .stdio(command: PythonServers.bin("mcp-server-time"), arguments: ["--local-timezone", "Etc/UTC"]))

    @Test func itListsItsToolsWithSchemasAndAnnotations() async throws {
        let log = EventLog()
        try await withConnection(Self.configuration, log: log) { time in
            try await time.start()
            let info = try #require(await time.serverInfo)
            #expect(info.name == "mcp-time")
            #expect(info.protocolVersion == "2025-11-25")
            #expect(log.starts == 1)

            let tools = try await time.tools()
            #expect(Set(tools.map(\.name)) == ["get_current_time", "convert_time"])
            let current = try #require(tools.first { $0.name == "get_current_time" })
            #expect(current.inputSchema["required"] == ["timezone"])
            #expect(current.inputSchema["properties"]?["timezone"]?["type"] == "string")
            #expect(current.outputSchema?["properties"]?["is_dst"]?["type"] == "boolean")
            #expect(current.annotations?.readOnlyHint == true)
            #expect(current.annotations?.destructiveHint == false)
            #expect(current.description?.contains("timezone") == true)
        }
    }

    @Test func getCurrentTimeAnswersForTheTimezoneAsked() async throws {
        try await withConnection(Self.configuration) { time in
            let result = try await time.call(tool: "get_current_time", arguments: ["timezone": "Asia/Tokyo"])
            #expect(result.isError == false)
            let structured = try #require(result.structuredContent)
            #expect(structured["timezone"] == "Asia/Tokyo")
            let datetime = try #require(structured["datetime"]?.stringValue)
            #expect(datetime.hasSuffix("+09:00"))
            #expect(result.text.contains("Asia/Tokyo"))
            #expect(result.content.first?["type"] == "text")
        }
    }

    @Test func convertTimeConvertsBetweenZones() async throws {
        try await withConnection(Self.configuration) { time in
            let result = try await time.call(
                tool: "convert_time", arguments: ["source_timezone": "Etc/UTC", "time": "12:00", "target_timezone": "Asia/Kolkata"])
            let target = try #require(result.structuredContent?["target"])
            #expect(target["timezone"] == "Asia/Kolkata")
            #expect(target["datetime"]?.stringValue?.contains("T17:30:00") == true)
            #expect(result.structuredContent?["time_difference"] == "+5.5h")
        }
    }

    @Test func anUnknownToolIsAProtocolErrorNamingIt() async throws {
        try await withConnection(Self.configuration) { time in
            let error = await #expect(throws: MCPClientError.self) { try await time.call(tool: "get_weather", arguments: [:]) }
            guard case let .serverError(server, code, message)? = error else {
                Issue.record("expected a server error, got \(String(describing: error))")
                return
            }
            #expect(server == "time")
            #expect(code == -32602)
            #expect(message.contains("get_weather"))
            #expect(error?.retryable == false)
            #expect(error?.message.contains("Check the tool's name and arguments") == true)
            // The server is still fine.
            let result = try await time.call(tool: "get_current_time", arguments: ["timezone": "Europe/Paris"])
            #expect(result.structuredContent?["timezone"] == "Europe/Paris")
        }
    }

    @Test func invalidArgumentsAreReportedByTheServerAsAToolError() async throws {
        try await withConnection(Self.configuration) { time in
            let wrongType = try await time.call(tool: "get_current_time", arguments: ["timezone": 42])
            #expect(wrongType.isError)
            #expect(wrongType.text.contains("timezone"))
            #expect(wrongType.structuredContent == nil)

            let badZone = try await time.call(tool: "get_current_time", arguments: ["timezone": "Mars/Olympus_Mons"])
            #expect(badZone.isError)
            #expect(badZone.text.contains("Mars/Olympus_Mons"))
        }
    }

    @Test func argumentsThatAreNotAnObjectNeverReachTheServer() async throws {
        try await withConnection(Self.configuration) { time in
            let error = await #expect(throws: MCPClientError.self) { try await time.call(tool: "get_current_time", arguments: ["Asia/Tokyo"]) }
            #expect(error == .invalidArguments(server: "time", tool: "get_current_time", reason: "are a JSON array, not an object"))
            #expect(await time.serverInfo == nil)
        }
    }

    @Test func concurrentCallsShareOneServer() async throws {
        let log = EventLog()
        try await withConnection(Self.configuration, log: log) { time in
            let zones = ["Asia/Tokyo", "Europe/Paris", "America/New_York", "Australia/Sydney", "Africa/Cairo", "Etc/UTC"]
            let answers = try await withThrowingTaskGroup(of: (String, JSON?).self) { group in
                for zone in zones {
                    group.addTask { (zone, try await time.call(tool: "get_current_time", arguments: ["timezone": .string(zone)]).structuredContent?["timezone"]) }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            for zone in zones { #expect(answers[zone] == .string(zone)) }
            #expect(log.starts == 1)
        }
    }
}
