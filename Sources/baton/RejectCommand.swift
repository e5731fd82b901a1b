import ArgumentParser
import BatonCore

struct RejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Reject a pending request as a user who holds its role; its run goes on without the action.",
        discussion: """
            Example:
              baton reject run_0193f2a4c1de7a1b2c3d/1.0/approval --as dana --reason "duplicate refund"
            """
    )

    @Argument(help: "The request's id (see `baton approvals list`).")
    var id: String

    @Option(name: .customLong("as"), help: "Who decides: a user who holds the request's role.")
    var user: String

    @Option(name: .long, help: "Why it is rejected, for the record and for the run.")
    var reason: String

    @Option(name: .long, help: "A YAML file with a roles: section (users and their roles), added to the workflow's.")
    var roles: String?

    @OptionGroup var options: StoreOptions

    @OptionGroup var models: ModelOptions

    func validate() throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason must say why") }
    }

    func run() async throws {
        try await reportingErrors {
            try await ApprovalDecider(options: options, models: models, rolesFile: roles)
                .decide(id, approve: false, as: user, comment: reason, arguments: nil)
        }
    }
}
