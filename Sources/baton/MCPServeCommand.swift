import ArgumentParser
import BatonCore
import BatonMCP
import BatonSpec
import Foundation

/// `baton mcp serve FILE`: offers the workflows of a file as MCP tools, one tool per workflow.
struct MCPServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the workflows of a file as MCP tools.",
        discussion: """
            Offers one tool per workflow of the file (the file's workflow and the sub-workflows it \
            names), named after the workflow, with the workflow's input schema. A call runs the \
            workflow with the arguments as its input and answers {"run", "status", "output"}; a run \
            that fails or exceeds a limit answers isError with its reason, and a run that waits \
            answers status "waiting" with its run id (continue it with `baton signal` or `baton resume`, as for `baton run`).

            By default the server speaks MCP on standard input and output (logs go to standard \
            error). With --http it serves streamable HTTP at http://HOST:PORT/mcp and prints \
            'listening on …' on standard error; --port 0 picks a free port.

            Examples:
              baton mcp serve examples/hello.yaml
              baton mcp serve flow.yaml --http --port 8765 --store runs.sqlite
            """
    )

    @Argument(help: "The workflow file (YAML).")
    var file: String

    @Flag(name: .long, help: "Serve streamable HTTP instead of stdio.")
    var http = false

    @Option(name: .long, help: "The HTTP port (0 picks a free one).")
    var port: Int = 0

    @Option(name: .long, help: "The HTTP host to bind.")
    var host: String = "127.0.0.1"

    @OptionGroup var options: StoreOptions

    @OptionGroup var models: ModelOptions

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
        if !http, port != 0 || host != "127.0.0.1" { throw ValidationError("--port and --host apply to --http only") }
    }

    func run() async throws {
        try await reportingErrors {
            let loaded = try WorkflowLoader().load(file: file)
            let store = try await options.openStore()
            let tools = try await ToolAssembly.assemble(loaded, directory: FileManager.default.currentDirectoryPath, models: models, store: store)
            try await tools.using { box in
                let engine = options.makeEngine(store: store, tools: box, agents: tools.agents.runtime)
                try await engine.prepare(loaded)
                let server = MCPToolServer(name: "baton", version: "1", tools: Self.tools(for: loaded, engine: engine))
                if http {
                    let host = host
                    try await server.serveHTTP(host: host, port: port) { port in
                        FileHandle.standardError.write(Data("listening on http://\(host):\(port)/mcp\n".utf8))
                    }
                } else {
                    try await server.serveStdio()
                }
            }
        }
    }

    /// One tool per workflow of `loaded`, the first of each name kept.
    static func tools(for loaded: LoadedWorkflow, engine: Engine) -> [MCPServedTool] {
        var seen: Set<String> = []
        var tools: [MCPServedTool] = []
        for workflow in loaded.all.map(\.workflow) {
            let name = toolName(workflow.name)
            guard seen.insert(name).inserted else { continue }
            tools.append(
                MCPServedTool(
                    name: name, description: workflow.summary ?? "Runs the Baton workflow '\(workflow.name)'.",
                    inputSchema: workflow.inputSchema?.source ?? ["type": "object"]
                ) { arguments in
                    answer(try await engine.run(workflow, input: arguments))
                }
            )
        }
        return tools
    }

    /// `name` with every character outside `[A-Za-z0-9_.-]` replaced by `_`.
    static func toolName(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
        let sanitised = String(name.map { allowed.contains($0) ? $0 : "_" })
        return sanitised.isEmpty ? "workflow" : sanitised
    }

    /// The tool's answer for a run's result: an error for a run that failed, was cancelled or
    /// exceeded a limit; the run, its status and output otherwise (a waiting run is not an error).
    static func answer(_ result: RunResult) -> MCPToolAnswer {
        switch result.status {
        case .failed, .cancelled, .limitExceeded:
            return .error("run \(result.id.rawValue) \(result.status.rawValue): \(result.reason ?? "no reason recorded")")
        case .pending, .running, .waiting, .succeeded:
            return .result(["run": .string(result.id.rawValue), "status": .string(result.status.rawValue), "output": result.output ?? .null])
        }
    }
}
