import BatonCore
import BatonMCP
import BatonPostgres
import BatonSpec
import BatonTools
import Foundation

/// The tools a workflow file declares, made real for `baton`: its built-ins configured, its MCP
/// servers started with their tools registered as `SERVER.TOOL`, the file's contract changes
/// applied; and its agents on those tools (``AgentAssembly``). `baton` has no Swift tools of its
/// own, so a declaration without `builtin` must name a tool of a declared server.
struct ToolAssembly {
    let box: ToolBox
    let servers: [MCPToolSource]
    var agents = AgentAssembly.none

    /// Assembles the tools of `loaded` and of the sub-workflows it names. Relative sandbox roots
    /// and server working directories are resolved against `directory`; `store` (the run's) caches
    /// model responses and holds the ledger tables of `ledger.append` tools declared with `table:`.
    static func assemble(
        _ loaded: LoadedWorkflow, directory: String, models: ModelOptions? = nil, store: (any Store & ResponseCache)? = nil
    ) async throws -> ToolAssembly {
        let box = try ToolBox()
        var declarations: [String: ToolDeclaration] = [:]
        var servers: [String: MCPServerDeclaration] = [:]
        for workflow in loaded.all {
            for declaration in workflow.tools where declarations[declaration.name] == nil { declarations[declaration.name] = declaration }
            for server in workflow.mcpServers where servers[server.name] == nil { servers[server.name] = server }
        }
        var serverOverrides: [String: ContractOverrides] = [:]
        for declaration in declarations.values.sorted(by: { $0.name < $1.name }) {
            guard let builtin = declaration.builtin else {
                guard let dot = declaration.name.firstIndex(of: "."), servers[String(declaration.name[..<dot])] != nil else {
                    throw CLIError("tool '\(declaration.name)' is declared without a builtin: only a Swift program that registers a tool of that name can run this workflow (baton runs built-ins and the tools of declared MCP servers)")
                }
                serverOverrides[declaration.name] = declaration.overrides
                continue
            }
            let tool = try builtinTool(builtin, declaration, directory: directory, store: store)
            try box.register(AdjustedTool(tool, contract: declaration.overrides.applied(to: tool.contract, name: declaration.name)))
        }
        var started: [MCPToolSource] = []
        do {
            for server in servers.values.sorted(by: { $0.name < $1.name }) {
                let source = MCPToolSource(try configuration(server, directory: directory))
                started.append(source)
                let overrides = serverOverrides
                try await source.attach(to: box) { contract in overrides[contract.name]?.applied(to: contract, name: contract.name) ?? contract }
            }
        } catch {
            for source in started { await source.shutdown() }
            throw CLIError("\(error)")
        }
        var assembly = ToolAssembly(box: box, servers: started)
        if let models {
            do {
                assembly.agents = try await AgentAssembly.assemble(loaded, tools: box, options: models, cache: store)
            } catch {
                await assembly.shutdown()
                throw error
            }
        }
        return assembly
    }

    /// The tools of the workflow run `id` belongs to (its stored YAML document), for commands that
    /// continue a run; none when the run or its document is not found (the command says so).
    static func assemble(forRun id: RunID, store: any Store & ResponseCache, directory: String, models: ModelOptions? = nil) async throws -> ToolAssembly {
        guard let record = try await store.run(id), let stored = try await store.workflow(hash: record.workflowHash), stored.format == "yaml" else {
            return ToolAssembly(box: try ToolBox(), servers: [])
        }
        return try await assemble(try WorkflowLoader().loadDocument(stored), directory: directory, models: models, store: store)
    }

    /// Runs `body` with the tool box, then stops the MCP servers, however `body` ends.
    func using<T>(_ body: (ToolBox) async throws -> T) async throws -> T {
        do {
            let value = try await body(box)
            await shutdown()
            return value
        } catch {
            await shutdown()
            throw error
        }
    }

    /// Stops the MCP servers and closes the model providers' connections.
    func shutdown() async {
        for server in servers { await server.shutdown() }
        await agents.shutdown()
    }

    private static func builtinTool(_ builtin: String, _ declaration: ToolDeclaration, directory: String, store: (any Store)?) throws -> any Tool {
        let settings = declaration.settings
        func sandbox() throws -> FileSandbox {
            let root = settings["root"]?.stringValue ?? "."
            return try FileSandbox(root: root.hasPrefix("/") ? root : directory + "/" + root)
        }
        switch builtin {
        case "http.request":
            let hosts = settings["allowed_hosts"]?.arrayValue?.compactMap(\.stringValue) ?? []
            var methods = Set(HTTPRequestTool.Method.allCases)
            if let names = settings["methods"]?.arrayValue?.compactMap(\.stringValue) {
                methods = []
                for name in names {
                    guard let method = HTTPRequestTool.Method(rawValue: name.uppercased()) else {
                        throw CLIError("tools.\(declaration.name).methods: unknown HTTP method '\(name)'; expected GET, POST, PUT, PATCH, DELETE or HEAD")
                    }
                    methods.insert(method)
                }
            }
            let limit = settings["max_response_bytes"]?.intValue ?? HTTPRequestTool.defaultMaxResponseBytes
            return try HTTPRequestTool(name: declaration.name, allowedHosts: hosts, methods: methods, maxResponseBytes: limit)
        case "file.read":
            return FileReadTool(try sandbox(), name: declaration.name, maxBytes: settings["max_bytes"]?.intValue ?? FileReadTool.defaultMaxBytes)
        case "file.write":
            return FileWriteTool(try sandbox(), name: declaration.name)
        case "file.list":
            return FileListTool(try sandbox(), name: declaration.name)
        case "ledger.append":
            switch (settings["file"]?.stringValue, settings["table"]?.stringValue) {
            case let (file?, nil):
                return LedgerAppendTool(try sandbox(), file: file, name: declaration.name)
            case let (nil, table?):
                guard let postgres = store as? PostgresStore else {
                    throw CLIError("tools.\(declaration.name): a ledger.append tool with table: keeps its ledger in the run's PostgreSQL store; run with --store postgres://… (or give file: for a ledger file)")
                }
                do {
                    return try PostgresLedgerTool(store: postgres, table: table, name: declaration.name)
                } catch {
                    throw CLIError("tools.\(declaration.name).table: \(error)")
                }
            default:
                throw CLIError("tools.\(declaration.name): a ledger.append tool needs file: (the ledger's path, relative to root) or table: (a table in the PostgreSQL store), not both")
            }
        default:
            throw CLIError("tools.\(declaration.name): unknown built-in tool '\(builtin)'")
        }
    }

    private static func configuration(_ server: MCPServerDeclaration, directory: String) throws -> MCPServerConfiguration {
        let transport: MCPServerConfiguration.Transport
        switch server.transport {
        case let .stdio(command, arguments, environment, workingDirectory):
            let cwd = workingDirectory.map { $0.hasPrefix("/") ? $0 : directory + "/" + $0 } ?? directory
            transport = .stdio(command: command, arguments: arguments, environment: environment, workingDirectory: cwd)
        case let .http(url, headers):
            guard let address = URL(string: url) else { throw CLIError("mcp_servers.\(server.name).url: '\(url)' is not a URL") }
            transport = .http(url: address, headers: headers)
        }
        return MCPServerConfiguration(name: server.name, transport: transport, callTimeout: server.timeout ?? .seconds(60))
    }
}
