import ArgumentParser
import BatonCore
import BatonSpec

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a workflow file without running it.",
        discussion: "Every problem is reported as FILE:LINE:COLUMN: PATH: what was expected.\n\nExample:\n  baton validate examples/hello.yaml"
    )

    @Argument(help: "The workflow file (YAML).")
    var file: String

    @Flag(name: .long, help: "Print machine-readable JSON.")
    var json = false

    func run() async throws {
        let loaded: LoadedWorkflow
        do {
            loaded = try WorkflowLoader().load(file: file)
        } catch {
            if json {
                print(["valid": false, "errors": .array(error.diagnostics.map { .string($0.description) })] as JSON)
            } else {
                for diagnostic in error.diagnostics { printError(diagnostic.description) }
            }
            throw ExitStatus.badInput
        }
        let workflow = loaded.workflow
        if json {
            print(["valid": true, "name": .string(workflow.name), "version": .string(workflow.versionName), "nodes": .int(workflow.nodes.count)] as JSON)
        } else {
            print("\(file): valid workflow '\(workflow.name)' (\(workflow.nodes.count) nodes, \(workflow.edges.count) edges, version \(workflow.versionName))")
        }
    }
}

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
