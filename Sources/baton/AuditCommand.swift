import ArgumentParser
import BatonCore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the tamper-evident event journal.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every event hash of a run (or of all runs) and report the first break.",
            discussion: "Exit status 0 when intact, 1 when any chain is broken.\n\nExamples:\n  baton audit verify run_0193f2a4c1de7a1b2c3d\n  baton audit verify --all"
        )

        @Argument(help: "The run to verify.")
        var run: String?

        @Flag(name: .long, help: "Verify every run in the store.")
        var all = false

        @OptionGroup var options: StoreOptions

        func validate() throws {
            if (run == nil) == !all { throw ValidationError("name one run, or pass --all") }
        }

        func run() async throws {
            try await reportingErrors {
                let store = try options.openStore()
                let ids = try await all ? store.runs(RunQuery(limit: Int.max)).map(\.id) : [RunID(run ?? "")]
                var broken = 0
                for id in ids {
                    guard try await store.run(id) != nil else { throw StoreError.runNotFound(id) }
                    let verdict = EventChain.verify(try await allEvents(store, id))
                    if case .broken = verdict { broken += 1 }
                    if options.json {
                        print(["run": .string(id.rawValue), "verdict": .string(verdict.description)] as JSON)
                    } else {
                        print("\(id): \(verdict)")
                    }
                }
                if !options.json && all { print("\(ids.count) runs verified, \(broken) broken") }
                if broken > 0 { throw ExitCode(1) }
            }
        }
    }
}
