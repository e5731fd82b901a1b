import ArgumentParser
import BatonCore
import BatonSQLite
import BatonSpec
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow file until it finishes or waits.",
        discussion: """
            On a terminal each step is shown as it finishes. The exit status tells how the run ended \
            (0 succeeded, 1 failed, 3 waiting, 4 cancelled, 5 limit exceeded; 2 for bad input).

            Examples:
              baton run examples/hello.yaml --input '{"name": "Ada"}'
              baton run flow.yaml --input @input.json --json
              baton run refunds.yaml --tag eu --tag customer:acme
              baton run flow.yaml --detach --store postgres://baton@db.internal/baton   (a worker runs it)
            """
    )

    @Argument(help: "The workflow file (YAML).")
    var file: String

    @Option(name: .long, help: "The run's input: a JSON object, or @FILE to read it from a file.")
    var input: String?

    @Option(name: .customLong("tag"), help: "A label for the run (repeatable): policies match on it (subject: { tags: [eu] }).")
    var tags: [String] = []

    @Flag(name: .long, help: "Only start the run and print its id: a `baton worker` on the store runs it (or `baton resume`).")
    var detach = false

    @OptionGroup var options: StoreOptions

    @OptionGroup var models: ModelOptions

    func run() async throws {
        try await reportingErrors {
            let loaded = try WorkflowLoader().load(file: file)
            let input = try input.map { try parseJSONArgument($0, what: "--input") } ?? .object([:])
            let tags = try Self.checked(tags)
            let store = try await options.openStore()
            let tools = try await ToolAssembly.assemble(loaded, directory: FileManager.default.currentDirectoryPath, models: models, store: store)
            let result = try await tools.using { box in
                let engine = options.makeEngine(store: store, tools: box, agents: tools.agents.runtime)
                try await engine.prepare(loaded)
                if detach {
                    let id = try await engine.start(loaded.workflow, input: input, tags: tags)
                    return RunResult(id: id, status: .pending, output: nil, reason: nil, waitingFor: [])
                }
                let id = RunID.generate()
                guard stdoutIsTerminal && !options.json else { return try await engine.run(loaded.workflow, input: input, id: id, tags: tags) }
                let follower = EventFollower(store: store, run: id)
                let progress = Task { try await follower.follow(until: { false }) }
                defer { progress.cancel() }
                let result: RunResult
                do {
                    result = try await engine.run(loaded.workflow, input: input, id: id, tags: tags)
                } catch {
                    progress.cancel()
                    throw error
                }
                progress.cancel()
                _ = await progress.result
                try await follower.drain()
                return result
            }
            if detach {
                print(options.json ? JSON.object(["id": .string(result.id.rawValue), "status": "pending"]).canonicalString : result.id.rawValue)
                return
            }
            result.print(asJSON: options.json)
            if result.status != .succeeded { throw ExitStatus.code(for: result.status) }
        }
    }

    /// Tags as given, each once: non-empty, at most 100 characters, no white space or commas.
    static func checked(_ tags: [String]) throws -> [String] {
        var seen: [String] = []
        for tag in tags where !seen.contains(tag) {
            guard !tag.isEmpty, tag.count <= 100, !tag.contains(where: { $0.isWhitespace || $0 == "," }) else {
                throw CLIError("--tag '\(tag)': a tag is 1 to 100 characters without spaces or commas, such as eu or customer:acme")
            }
            seen.append(tag)
        }
        return seen
    }
}
