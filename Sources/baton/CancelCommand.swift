import ArgumentParser
import BatonCore

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a run: a waiting run at once, a running one at its next step.",
        discussion: "Example:\n  baton cancel run_0193f2a4c1de7a1b2c3d --reason 'wrong input'"
    )

    @Argument(help: "The run's id.")
    var run: String

    @Option(name: .long, help: "Why; recorded in the run's events.")
    var reason = "cancelled from the command line"

    @OptionGroup var options: StoreOptions

    func run() async throws {
        try await reportingErrors {
            let store = try await options.openStore()
            let engine = options.makeEngine(store: store)
            let record = try await engine.cancel(RunID(run), reason: reason)
            if options.json {
                print(["id": .string(record.id.rawValue), "status": .string(record.status.rawValue), "cancel_requested": .bool(record.cancelRequested)] as JSON)
            } else if record.status == .cancelled {
                print("run \(record.id) cancelled")
            } else if record.status.isTerminal {
                print("run \(record.id) had already finished (\(record.status)); nothing to cancel")
            } else {
                print("run \(record.id) will stop at its next step (cancel requested)")
            }
        }
    }
}
