import ArgumentParser

@main
struct BatonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "Run durable AI-agent workflows: kill the process at any moment, resume, and finish as if nothing happened.",
        discussion: """
            Runs live in one SQLite file (.baton/baton.sqlite under the working directory; --store or \
            BATON_STORE choose another).

            Exit status: 0 succeeded, 1 failed, 2 bad input or an error, 3 waiting, 4 cancelled, 5 limit exceeded.

            Example:
              baton run examples/hello.yaml --input '{"name": "Ada"}'
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, ResumeCommand.self, RunsCommand.self, ForkCommand.self, CancelCommand.self,
            SignalCommand.self, ApprovalsCommand.self, ApproveCommand.self, RejectCommand.self, PolicyCommand.self, ValidateCommand.self, AuditCommand.self,
            SchemaCommand.self, MCPCommand.self, WorkerCommand.self,
        ]
    )
}
