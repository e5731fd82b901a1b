import BatonCore
import Foundation
import Testing

/// `baton run` with the tools a file declares: built-ins configured by the file, MCP servers it
/// starts, and their failures.
@Suite struct ToolRunTests {
    @Test func builtInFileToolsRunConfinedToTheirRoot() async throws {
        let cli = try CLI()
        try FileManager.default.createDirectory(at: cli.directory.appendingPathComponent("notes"), withIntermediateDirectories: true)
        _ = try cli.write("notes/today.txt", "ship the parser\n")
        _ = try cli.write("secret.txt", "not for tools\n")
        let workflow = """
            baton: 1
            name: notes
            tools:
              read_note: { builtin: file.read, root: notes }
            nodes:
              read: { tool: read_note, args: { path: { copy: input.path } }, into: note }
            output:
              text: { copy: state.note.content }
            """
        let path = try cli.write("notes.yaml", workflow)
        let read = try await cli.run(["run", path, "--json", "--input", #"{"path": "today.txt"}"#])
        expectNoCrash(read)
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.json?["output"]?["text"] == "ship the parser\n")

        let escape = try await cli.run(["run", path, "--json", "--input", #"{"path": "../secret.txt"}"#])
        expectNoCrash(escape)
        #expect(escape.status == 1)
        #expect(escape.json?["status"] == "failed")
        #expect(escape.json?["reason"]?.stringValue?.contains("paths cannot leave the sandbox") == true)
        #expect(escape.stdout.contains("not for tools") == false)
    }

    @Test func aDeclaredToolWithoutABuiltinIsRefusedClearly() async throws {
        let cli = try CLI()
        let path = try cli.write("host.yaml", "baton: 1\nname: host\ntools:\n  add: { timeout: 2s }\nnodes:\n  a: { tool: add }\n")
        let result = try await cli.run(["run", path])
        expectNoCrash(result)
        #expect(result.status == 2)
        #expect(result.stderr.contains("tool 'add' is declared without a builtin"))
    }

    @Test func anMCPServerNamedInTheFileIsStartedAndItsToolsCalled() async throws {
        guard let python = MCPCommandTests.python else { return }
        let cli = try CLI()
        let path = try cli.write("clock.yaml", """
            baton: 1
            name: clock
            mcp_servers:
              time: { command: "\(python)", args: [-m, mcp_server_time, --local-timezone, UTC] }
            nodes:
              now: { tool: time.get_current_time, args: { timezone: Asia/Tokyo }, into: now }
              bad: { tool: time.get_current_time, args: { zone: Asia/Tokyo }, into: bad }
            edges:
              - { from: now, to: bad }
            """)
        let result = try await cli.run(["run", path, "--json"])
        expectNoCrash(result)
        // The first call answers; the second breaks the server's input schema, checked by Baton.
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.json?["reason"]?.stringValue?.contains("do not match its input schema") == true)
        let events = try await cli.run(["runs", "events", result.json?["id"]?.stringValue ?? "", "--json"])
        #expect(events.stdout.contains("+09:00"))
        #expect(events.stdout.contains("tool.rejected"))
    }

    @Test func anMCPServerThatCannotStartIsOneClearError() async throws {
        let cli = try CLI()
        let path = try cli.write("broken.yaml", """
            baton: 1
            name: broken
            mcp_servers:
              ghost: { command: /nonexistent/mcp-server }
            nodes:
              a: { tool: ghost.anything }
            """)
        let result = try await cli.run(["run", path])
        expectNoCrash(result)
        #expect(result.status == 2)
        #expect(result.stderr.contains("ghost"))
    }
}
