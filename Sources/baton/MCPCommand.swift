import ArgumentParser
import BatonCore
import BatonMCP
import Foundation

/// `baton mcp`: look at MCP servers from the command line, to debug an MCP set-up.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "List and call the tools of an MCP server.",
        subcommands: [Tools.self, Call.self, MCPServeCommand.self]
    )

    /// How to reach the server: a command after `--`, or `--url`.
    struct ServerOptions: ParsableArguments {
        @Option(name: .long, help: "The server's streamable HTTP endpoint, instead of a command.")
        var url: String?

        @Option(name: .customLong("header"), help: "An HTTP header for --url, as 'Name: value' (repeatable).")
        var headers: [String] = []

        @Option(name: .long, help: "How long the handshake and each call may take, in seconds.")
        var timeout: Double = 30

        @Argument(parsing: .postTerminator, help: "The command that starts a stdio server, after --.")
        var command: [String] = []

        func configuration() throws -> MCPServerConfiguration {
            let limit = Duration.milliseconds(Int64(max(timeout, 0.001) * 1000))
            switch (url, command.first) {
            case let (url?, nil):
                guard let address = URL(string: url), address.scheme == "http" || address.scheme == "https" else {
                    throw CLIError("--url must be an http:// or https:// URL, not '\(url)'")
                }
                var fields: [String: String] = [:]
                for header in headers {
                    let parts = header.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2 else { throw CLIError("--header must be 'Name: value', not '\(header)'") }
                    fields[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
                }
                return MCPServerConfiguration(name: "server", transport: .http(url: address, headers: fields), handshakeTimeout: limit, callTimeout: limit, restartPolicy: .never)
            case let (nil, executable?):
                return MCPServerConfiguration(
                    name: "server", transport: .stdio(command: executable, arguments: Array(command.dropFirst())), handshakeTimeout: limit,
                    callTimeout: limit, restartPolicy: .never
                )
            case (_?, _?):
                throw CLIError("give either --url or a command after --, not both")
            case (nil, nil):
                throw CLIError("give the server: a command after -- (baton mcp tools -- python -m mcp_server_time), or --url")
            }
        }

        /// Runs `body` with a started connection, and shuts the server down however `body` ends.
        func withConnection<T>(_ body: (MCPServerConnection) async throws -> T) async throws -> T {
            let connection = MCPServerConnection(try configuration()) { event in
                if case let .stderr(line) = event { FileHandle.standardError.write(Data("server: \(line)\n".utf8)) }
            }
            do {
                try await connection.start()
                let value = try await body(connection)
                await connection.shutdown()
                return value
            } catch {
                await connection.shutdown()
                throw CLIError("\(error)")
            }
        }
    }

    struct Tools: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a server's tools with their schemas.",
            discussion: """
                Prints each tool's name, description and input schema, and says whether Baton's validator \
                compiles its schemas (a tool whose schema does not compile cannot be used). The server's \
                standard error is shown prefixed with 'server:'.

                Examples:
                  baton mcp tools -- python3 -m mcp_server_time
                  baton mcp tools --url http://127.0.0.1:8000/mcp --json
                """
        )

        @Flag(name: .long, help: "Print the tools as one JSON array.")
        var json = false

        @OptionGroup var server: ServerOptions

        func run() async throws {
            try await reportingErrors {
                let tools = try await server.withConnection { try await $0.tools() }
                if json {
                    print(JSON.array(tools.map(Self.json)).canonicalString)
                    return
                }
                for tool in tools {
                    print("\(tool.name)\(tool.description.map { ": \($0)" } ?? "")")
                    print("  input: \(tool.inputSchema.canonicalString)")
                    if let output = tool.outputSchema { print("  output: \(output.canonicalString)") }
                    if let problem = Self.schemaProblem(tool) { print("  not usable: \(problem)") }
                }
            }
        }

        static func json(_ tool: MCPToolDescriptor) -> JSON {
            var members: [String: JSON] = ["name": .string(tool.name), "input_schema": tool.inputSchema]
            if let description = tool.description { members["description"] = .string(description) }
            if let output = tool.outputSchema { members["output_schema"] = output }
            if let problem = schemaProblem(tool) { members["schema_error"] = .string(problem) }
            return .object(members)
        }

        /// Why Baton's validator refuses the tool's schemas, if it does.
        static func schemaProblem(_ tool: MCPToolDescriptor) -> String? {
            do {
                _ = try JSONSchema(tool.inputSchema)
                if let output = tool.outputSchema { _ = try JSONSchema(output) }
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Call one tool of a server and print the result.",
            discussion: """
                The arguments are checked against the tool's input schema by Baton's validator first. Prints \
                the structured content if the server gives it, else the content blocks, as JSON. Exit status: \
                0 the tool answered, 1 the tool reported an error (isError) or the arguments do not match its \
                schema, 2 the server could not be used.

                Examples:
                  baton mcp call --tool get_current_time --args '{"timezone": "Asia/Tokyo"}' -- python3 -m mcp_server_time
                  baton mcp call --tool search --args @query.json --url http://127.0.0.1:8000/mcp
                """
        )

        @Option(name: .long, help: "The tool's name on the server.")
        var tool: String

        @Option(name: .long, help: "The arguments: a JSON object, or @FILE.")
        var args: String = "{}"

        @OptionGroup var server: ServerOptions

        func run() async throws {
            try await reportingErrors {
                let arguments = try parseJSONArgument(args, what: "--args")
                guard case .object = arguments else { throw CLIError("--args must be a JSON object, not \(arguments.typeName)") }
                let outcome = try await server.withConnection { connection -> Result<MCPToolResult, ToolError> in
                    guard let descriptor = try await connection.tools().first(where: { $0.name == tool }) else {
                        throw CLIError("the server has no tool '\(tool)'; `baton mcp tools` lists its tools")
                    }
                    let validation = try JSONSchema(descriptor.inputSchema).validate(arguments)
                    guard validation.isValid else { return .failure(.invalidArguments(tool: tool, errors: validation.errors)) }
                    return .success(try await connection.call(tool: tool, arguments: arguments))
                }
                switch outcome {
                case let .failure(error):
                    printError(error.message)
                    throw ExitCode(1)
                case let .success(result):
                    print((result.structuredContent ?? .array(result.content)).prettyString())
                    if result.isError { throw ExitCode(1) }
                }
            }
        }
    }
}
