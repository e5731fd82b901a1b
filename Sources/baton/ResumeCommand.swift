import ArgumentParser
import BatonCore
import Foundation

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue a run that was interrupted, or whose timer is due.",
        discussion: """
            Finished steps are not run again, and effects a step had journaled return their recorded \
            results. A finished run prints its result unchanged.

            Example:
              baton resume run_0193f2a4c1de7a1b2c3d
            """
    )

    @Argument(help: "The run's id.")
    var run: String

    @OptionGroup var options: StoreOptions

    @OptionGroup var models: ModelOptions

    func run() async throws {
        try await reportingErrors {
            let store = try await options.openStore()
            let id = RunID(run)
            guard let record = try await store.run(id) else { throw StoreError.runNotFound(id) }
            let follower = EventFollower(store: store, run: id, after: record.lastSeq)
            let tools = try await ToolAssembly.assemble(forRun: id, store: store, directory: FileManager.default.currentDirectoryPath, models: models)
            let result = try await tools.using { box in try await options.makeEngine(store: store, tools: box, agents: tools.agents.runtime).resume(id) }
            if stdoutIsTerminal && !options.json { try await follower.drain() }
            result.print(asJSON: options.json)
            if result.status != .succeeded { throw ExitStatus.code(for: result.status) }
        }
    }
}
