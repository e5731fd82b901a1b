import ArgumentParser
import BatonCore
import Foundation

struct SignalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signal",
        abstract: "Deliver a named signal to a run; a run waiting for it continues.",
        discussion: "Example:\n  baton signal run_0193f2a4c1de7a1b2c3d approval --payload '{\"approved\": true}'"
    )

    @Argument(help: "The run's id.")
    var run: String

    @Argument(help: "The signal's name.")
    var name: String

    @Option(name: .long, help: "The signal's payload: JSON, or @FILE.")
    var payload: String?

    @OptionGroup var options: StoreOptions

    @OptionGroup var models: ModelOptions

    func run() async throws {
        try await reportingErrors {
            let payload = try payload.map { try parseJSONArgument($0, what: "--payload") } ?? .null
            let store = try await options.openStore()
            let tools = try await ToolAssembly.assemble(forRun: RunID(run), store: store, directory: FileManager.default.currentDirectoryPath, models: models)
            let result = try await tools.using { box in
                try await options.makeEngine(store: store, tools: box, agents: tools.agents.runtime).signal(RunID(run), name: name, payload: payload)
            }
            result.print(asJSON: options.json)
            if result.status != .succeeded && result.status != .waiting { throw ExitStatus.code(for: result.status) }
        }
    }
}
