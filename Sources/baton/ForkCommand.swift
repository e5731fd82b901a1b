import ArgumentParser
import BatonCore
import Foundation

struct ForkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fork",
        abstract: "Time travel: start a new run from a checkpoint of an old one, optionally with edited state, and run it.",
        discussion: """
            Checkpoint N is the state before superstep N (0 is the start); `baton runs show RUN` lists \
            the supersteps. Values in --set are JSON, or plain strings.

            Example:
              baton fork run_0193f2a4c1de7a1b2c3d --at 2 --set mode=careful --set 'limits={"max": 3}'
            """
    )

    @Argument(help: "The run to fork from.")
    var run: String

    @Option(name: .long, help: "The checkpoint (superstep number) to start from.")
    var at: Int

    @Option(name: .long, help: "A state edit, PATH=VALUE (VALUE is JSON, or else a string). Repeatable.")
    var set: [String] = []

    @OptionGroup var options: StoreOptions

    @OptionGroup var models: ModelOptions

    func validate() throws {
        for edit in set where !edit.contains("=") {
            throw ValidationError("--set takes PATH=VALUE, e.g. --set mode=careful; got '\(edit)'")
        }
        if at < 0 { throw ValidationError("--at takes a checkpoint number, 0 or more") }
    }

    func run() async throws {
        try await reportingErrors {
            var edits: [String: JSON] = [:]
            for edit in set {
                let parts = edit.split(separator: "=", maxSplits: 1)
                let path = String(parts[0])
                let text = parts.count > 1 ? String(parts[1]) : ""
                _ = try StatePath(path)
                edits[path] = (try? JSON(parsing: text)) ?? .string(text)
            }
            let store = try await options.openStore()
            let tools = try await ToolAssembly.assemble(forRun: RunID(run), store: store, directory: FileManager.default.currentDirectoryPath, models: models)
            let result = try await tools.using { box in
                let engine = options.makeEngine(store: store, tools: box, agents: tools.agents.runtime)
                let forked = try await engine.fork(RunID(run), at: at, edits: edits)
                if !options.json { print("forked run \(forked) from \(run) at checkpoint \(at)") }
                return try await engine.resume(forked)
            }
            result.print(asJSON: options.json)
            if result.status != .succeeded { throw ExitStatus.code(for: result.status) }
        }
    }
}
