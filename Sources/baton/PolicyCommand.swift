import ArgumentParser
import BatonCore
import BatonSpec
import Foundation

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check a policy file, or try it on what past runs did before it applies.",
        subcommands: [Check.self, Test.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a policy file, refusing it with file, line and reason when it is invalid, and report rules that overlap or can never decide.",
            discussion: "Exit status 0 when the file is valid (findings are warnings), 2 when it is not.\n\nExample:\n  baton policy check policies/payments.yaml"
        )

        @Argument(help: "The policy file.")
        var file: String

        @Flag(name: .long, help: "Print machine-readable JSON.")
        var json = false

        func run() async throws {
            try await reportingErrors {
                let loaded = try PolicyLoader.load(file: file)
                if json {
                    print(JSON.object([
                        "policy": .string(loaded.policy.name), "rules": .int(loaded.policy.rules.count),
                        "findings": .array(loaded.findings.map { .string($0.description) }),
                    ]).canonicalString)
                    return
                }
                print("valid policy '\(loaded.policy.name)': \(loaded.policy.rules.count) rules\(loaded.policy.denyByDefault ? ", deny by default" : "")")
                for finding in loaded.findings { print("warning: \(finding)") }
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide again, with a new policy, every action recorded in past runs, and report each decision that would change.",
            discussion: """
                Every model call, every tool call a model asked for, every tool node's call and every hand-off in the runs' journals is \
                decided by the policy file, and compared with what was decided then. Nothing is run or changed.
                Exit status 0; with --fail-on-change, 1 when a decision would change (for CI).

                Examples:
                  baton policy test policies/payments.yaml --all
                  baton policy test policies/payments.yaml run_0193f2a4c1de7a1b2c3d --json
                """
        )

        @Argument(help: "The policy file to try.")
        var file: String

        @Argument(help: "The runs to try it on.")
        var runs: [String] = []

        @Flag(name: .long, help: "Every run in the store (newest first, at most --limit).")
        var all = false

        @Option(name: .long, help: "With --all, at most this many runs.")
        var limit = 1000

        @Option(name: .long, help: "The environment the runs ran in, which rules may match (default: $BATON_ENVIRONMENT).")
        var environment: String?

        @Flag(name: .long, help: "Exit 1 when any decision would change.")
        var failOnChange = false

        @OptionGroup var options: StoreOptions

        func validate() throws {
            if runs.isEmpty == !all { throw ValidationError("name the runs to try the policy on, or pass --all") }
        }

        func run() async throws {
            try await reportingErrors {
                let loaded = try PolicyLoader.load(file: file)
                let store = try await options.openStore()
                let records = all ? try await store.runs(RunQuery(limit: limit)) : try await runs.asyncMap { id -> RunRecord in
                    guard let record = try await store.run(RunID(id)) else { throw StoreError.runNotFound(RunID(id)) }
                    return record
                }
                let environment = self.environment ?? ProcessInfo.processInfo.environment["BATON_ENVIRONMENT"]
                let dryRun = PolicyDryRun(engine: PolicyEngine([loaded.policy]), environment: environment)
                var actions = 0
                var changed = 0
                for record in records {
                    let report = dryRun.report(try await allEvents(store, record.id), workflow: record.workflowName)
                    actions += report.actions
                    changed += report.changes.count
                    for change in report.changes {
                        if options.json {
                            var line = change.json.objectValue ?? [:]
                            line["run"] = .string(record.id.rawValue)
                            print(JSON.object(line).canonicalString)
                        } else {
                            let who = change.agent.map { " (agent \($0))" } ?? ""
                            let by = change.rule.map { "rule '\($0)'" } ?? "the default"
                            print("\(record.id) #\(change.seq) \(change.kind.rawValue) \(change.name)\(who) \(change.arguments.canonicalString): \(change.before) -> \(change.after) by \(by): \(change.reason)")
                        }
                    }
                }
                for finding in loaded.findings { printError("warning: \(finding)") }
                if !options.json {
                    print("\(actions) actions in \(records.count) runs decided again with '\(loaded.policy.name)': \(changed) would change")
                }
                if failOnChange && changed > 0 { throw ExitCode(1) }
            }
        }
    }
}

extension Sequence {
    /// The elements mapped one after the other by an async function.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
