import BatonCore
import Foundation
import Testing

/// `baton mcp tools` and `baton mcp call` against the real mcp-server-time.
@Suite struct MCPCommandTests {
    /// The Python of the test environment (scripts/python-env.sh), or `nil` to skip.
    static var python: String? {
        let venv = ProcessInfo.processInfo.environment["BATON_TEST_VENV"].flatMap { $0.isEmpty ? nil : $0 }
            ?? CLI.root.appendingPathComponent(".venv").path
        let python = venv + "/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            print("skipped: no Python environment at \(venv); run scripts/python-env.sh")
            return nil
        }
        return python
    }

    @Test func toolsListsTheServersToolsWithUsableSchemas() async throws {
        guard let python = Self.python else { return }
        let cli = try CLI()
        let result = try await cli.run(["mcp", "tools", "--json", "--", python, "-m", "mcp_server_time"], withStore: false)
        expectNoCrash(result)
        #expect(result.status == 0, "\(result.stderr)")
        let tools = result.json?.arrayValue ?? []
        #expect(tools.compactMap { $0["name"]?.stringValue }.sorted() == ["convert_time", "get_current_time"])
        #expect(tools.allSatisfy { $0["schema_error"] == nil })
    }

    @Test func callChecksTheArgumentsThenCallsTheTool() async throws {
        guard let python = Self.python else { return }
        let cli = try CLI()
        let server = ["--", python, "-m", "mcp_server_time"]
        let good = try await cli.run(["mcp", "call", "--tool", "get_current_time", "--args", #"{"timezone": "Asia/Tokyo"}"#] + server, withStore: false)
        expectNoCrash(good)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.json?["timezone"] == "Asia/Tokyo")
        #expect(good.json?["datetime"]?.stringValue?.hasSuffix("+09:00") == true)

        let bad = try await cli.run(["mcp", "call", "--tool", "get_current_time", "--args", #"{"zone": "x"}"#] + server, withStore: false)
        expectNoCrash(bad)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("missing required property 'timezone'"))

        let unknown = try await cli.run(["mcp", "call", "--tool", "get_weather"] + server, withStore: false)
        expectNoCrash(unknown)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no tool 'get_weather'"))
    }

    @Test func aServerThatCannotBeReachedIsOneClearError() async throws {
        let cli = try CLI()
        let missing = try await cli.run(["mcp", "tools", "--", "/nonexistent/mcp-server"], withStore: false)
        expectNoCrash(missing)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("the command was not found"))

        let none = try await cli.run(["mcp", "tools"], withStore: false)
        #expect(none.status == 2)
        #expect(none.stderr.contains("give the server"))

        let badURL = try await cli.run(["mcp", "tools", "--url", "ftp://example.com"], withStore: false)
        #expect(badURL.status == 2)
        #expect(badURL.stderr.contains("http:// or https://"))
    }
}
