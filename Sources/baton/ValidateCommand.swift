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
        // Policy rules that overlap or can never decide are warnings: the file is valid.
        let findings = loaded.policyFindings.map(\.description)
        if json {
            print([
                "valid": true, "name": .string(workflow.name), "version": .string(workflow.versionName), "nodes": .int(workflow.nodes.count),
                "warnings": .array(findings.map(JSON.string)),
            ] as JSON)
        } else {
            print("\(file): valid workflow '\(workflow.name)' (\(workflow.nodes.count) nodes, \(workflow.edges.count) edges, version \(workflow.versionName))")
            for finding in findings { print("warning: \(finding)") }
        }
    }
}
