import ArgumentParser
import BatonCore

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

    func run() async throws {
        try await reportingErrors {
            let store = try options.openStore()
            let engine = options.makeEngine(store: store)
            let id = RunID(run)
            guard let record = try await store.run(id) else { throw StoreError.runNotFound(id) }
            let follower = EventFollower(store: store, run: id, after: record.lastSeq)
            let result = try await engine.resume(id)
            if stdoutIsTerminal && !options.json { try await follower.drain() }
            result.print(asJSON: options.json)
            if result.status != .succeeded { throw ExitStatus.code(for: result.status) }
        }
    }
}

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
            let store = try options.openStore()
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

    func run() async throws {
        try await reportingErrors {
            let payload = try payload.map { try parseJSONArgument($0, what: "--payload") } ?? .null
            let store = try options.openStore()
            let engine = options.makeEngine(store: store)
            let result = try await engine.signal(RunID(run), name: name, payload: payload)
            result.print(asJSON: options.json)
            if result.status != .succeeded && result.status != .waiting { throw ExitStatus.code(for: result.status) }
        }
    }
}
