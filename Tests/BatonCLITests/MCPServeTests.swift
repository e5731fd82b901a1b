import BatonCore
import Foundation
import Subprocess
import SystemPackage
import Testing

/// `baton mcp serve`, driven by the official Python MCP client over stdio and streamable HTTP.
@Suite struct MCPServeTests {
    /// A client that connects, lists the tools, makes the calls given as `[[name, arguments], …]`
    /// and prints `{protocol, server, tools, calls}` as JSON.
    static let client = """
        import json, sys, anyio
        from mcp import ClientSession
        from mcp.client.stdio import StdioServerParameters, stdio_client
        from mcp.client.streamable_http import streamable_http_client

        def dump(result):
            return {"isError": bool(result.is_error), "structured": result.structured_content,
                    "text": [c.text for c in result.content if getattr(c, "type", "") == "text"]}

        async def work(read, write, calls):
            async with ClientSession(read, write) as session:
                init = await session.initialize()
                tools = await session.list_tools()
                out = {"protocol": init.protocol_version, "server": init.server_info.name,
                       "tools": [{"name": t.name, "description": t.description, "inputSchema": t.input_schema} for t in tools.tools],
                       "calls": []}
                for name, arguments in calls:
                    out["calls"].append(dump(await session.call_tool(name, arguments)))
                return out

        async def main():
            mode, target, calls = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
            if mode == "stdio":
                async with stdio_client(StdioServerParameters(command=target[0], args=target[1:])) as (read, write):
                    out = await work(read, write, calls)
            else:
                async with streamable_http_client(target) as streams:
                    out = await work(streams[0], streams[1], calls)
            print(json.dumps(out))

        anyio.run(main)
        """

    static let greeter = """
        baton: 1
        name: greet-flow
        description: Greets someone by name.
        input:
          type: object
          required: [name]
          properties:
            name: { type: string }
        nodes:
          greet:
            set:
              line: "Hello, {{input.name}}!"
        output:
          line: { copy: state.line }
        """

    /// Runs the client script with `mode`, `target` and `calls`; its standard output as JSON.
    static func connect(_ python: String, _ cli: CLI, mode: String, target: JSON, calls: JSON) async throws -> JSON? {
        let script = try cli.write("client.py", client)
        let result = try await Subprocess.run(
            .path(FilePath(python)), arguments: [script, mode, target.canonicalString, calls.canonicalString],
            workingDirectory: FilePath(cli.directory.path), output: .string(limit: 1 << 22), error: .string(limit: 1 << 22)
        )
        let stdout = result.standardOutput
        #expect(result.terminationStatus.isSuccess, "client failed: \(result.standardError)")
        return try? JSON(parsing: stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `baton mcp serve FILE` over stdio, through a shell that writes baton's exit status to `status`.
    static func stdioServer(_ cli: CLI, file: String) -> JSON {
        let command = "'\(CLI.binary.path)' mcp serve '\(file)' --store '\(cli.store)'; echo $? > status"
        return ["/bin/sh", "-c", .string(command)]
    }

    @Test func stdioOffersTheWorkflowAndRunsIt() async throws {
        guard let python = MCPCommandTests.python else { return }
        let cli = try CLI()
        let file = try cli.write("greeter.yaml", Self.greeter)
        let calls: JSON = [["greet-flow", ["name": "Ada"]], ["greet-flow", ["name": 3]]]
        let answer = try #require(try await Self.connect(python, cli, mode: "stdio", target: Self.stdioServer(cli, file: file), calls: calls))

        #expect(answer["protocol"] == "2025-11-25")
        let tool = try #require(answer["tools"]?.arrayValue?.first)
        #expect(answer["tools"]?.arrayValue?.count == 1)
        #expect(tool["name"] == "greet-flow")
        #expect(tool["description"] == "Greets someone by name.")
        #expect(tool["inputSchema"]?["required"] == ["name"])

        let ok = try #require(answer["calls"]?[0])
        #expect(ok["isError"] == false)
        #expect(ok["structured"]?["status"] == "succeeded")
        #expect(ok["structured"]?["output"] == ["line": "Hello, Ada!"])
        #expect(ok["structured"]?["run"]?.stringValue?.hasPrefix("run_") == true)

        let invalid = try #require(answer["calls"]?[1])
        #expect(invalid["isError"] == true)
        #expect(invalid["text"]?[0]?.stringValue?.contains("/name: expected string") == true, "\(invalid)")

        let status = try String(contentsOf: cli.directory.appendingPathComponent("status"), encoding: .utf8)
        #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "baton did not exit cleanly when the client closed")

        let runs = try await cli.run(["runs", "list", "--json"])
        #expect(runs.stdout.contains(ok["structured"]?["run"]?.stringValue ?? "missing"))
    }

    @Test func aFailedRunIsAnErrorAndAWaitingRunIsNot() async throws {
        guard let python = MCPCommandTests.python else { return }
        let cli = try CLI()
        let failing = try cli.write("failing.yaml", """
            baton: 1
            name: read
            tools:
              read_note: { builtin: file.read, root: . }
            nodes:
              read: { tool: read_note, args: { path: { copy: input.path } }, into: note }
            """)
        let failed = try #require(try await Self.connect(python, cli, mode: "stdio", target: Self.stdioServer(cli, file: failing), calls: [["read", ["path": "../outside.txt"]]]))
        let call = try #require(failed["calls"]?[0])
        #expect(call["isError"] == true)
        #expect(call["text"]?[0]?.stringValue?.contains("failed: ") == true, "\(call)")

        let waiting = try #require(
            try await Self.connect(python, cli, mode: "stdio", target: Self.stdioServer(cli, file: cli.example("approval.yaml")), calls: [["approval", ["topic": "Baton 1.0"]]])
        )
        let parked = try #require(waiting["calls"]?[0])
        #expect(parked["isError"] == false)
        #expect(parked["structured"]?["status"] == "waiting")
        #expect(parked["structured"]?["run"]?.stringValue?.hasPrefix("run_") == true)
    }

    @Test func subWorkflowsAreToolsToo() async throws {
        guard let python = MCPCommandTests.python else { return }
        let cli = try CLI()
        let answer = try #require(try await Self.connect(python, cli, mode: "stdio", target: Self.stdioServer(cli, file: cli.example("subworkflow.yaml")), calls: []))
        let names = answer["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names.count == 2, "\(names)")
        #expect(names.first == "digest")
    }

    @Test func httpServesTheSameTools() async throws {
        guard let python = MCPCommandTests.python else { return }
        let cli = try CLI()
        let file = try cli.write("greeter.yaml", Self.greeter)
        let log = cli.directory.appendingPathComponent("server.log")
        try Data().write(to: log)
        let server = Process()
        server.executableURL = CLI.binary
        server.arguments = ["mcp", "serve", file, "--http", "--port", "0", "--store", cli.store]
        server.standardError = try FileHandle(forWritingTo: log)
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { server.terminate() }

        var endpoint: String?
        for _ in 0..<100 where endpoint == nil {
            try await Task.sleep(for: .milliseconds(100))
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            endpoint = text.split(separator: "\n").first { $0.hasPrefix("listening on ") }.map { String($0.dropFirst("listening on ".count)) }
        }
        let url = try #require(endpoint, "the server printed no endpoint: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        #expect(url.hasPrefix("http://127.0.0.1:") && url.hasSuffix("/mcp"))

        let calls: JSON = [["greet-flow", ["name": "Grace"]], ["greet-flow", [:]]]
        let answer = try #require(try await Self.connect(python, cli, mode: "http", target: .string(url), calls: calls))
        #expect(answer["tools"]?[0]?["name"] == "greet-flow")
        #expect(answer["calls"]?[0]?["structured"]?["output"] == ["line": "Hello, Grace!"])
        #expect(answer["calls"]?[1]?["isError"] == true)
        #expect(answer["calls"]?[1]?["text"]?[0]?.stringValue?.contains("name") == true)
        #expect(server.isRunning, "the HTTP server stops only when told to")
    }
}

extension JSON {
    /// The element at `index` of an array, if there is one.
    fileprivate subscript(index: Int) -> JSON? {
        guard let values = arrayValue, values.indices.contains(index) else { return nil }
        return values[index]
    }
}
