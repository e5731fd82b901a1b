import ArgumentParser
import BatonCore

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a pending request as a user who holds its role; its run goes on.",
        discussion: """
            The user must hold the request's role in the roles: section of the run's workflow file \
            (or of --roles FILE). --edit approves with changed arguments.

            Example:
              baton approve run_0193f2a4c1de7a1b2c3d/1.0/approval --as dana --comment "ok" --edit '{"amount": 80}'
            """
    )

    @Argument(help: "The request's id (see `baton approvals list`).")
    var id: String

    @Option(name: .customLong("as"), help: "Who decides: a user who holds the request's role.")
    var user: String

    @Option(name: .long, help: "Why, for the record.")
    var comment: String?

    @Option(name: .long, help: "Approve with these arguments instead of the requested ones: a JSON object, or @FILE.")
    var edit: String?

    @Option(name: .long, help: "A YAML file with a roles: section (users and their roles), added to the workflow's.")
    var roles: String?

    @OptionGroup var options: StoreOptions

    @OptionGroup var models: ModelOptions

    func run() async throws {
        try await reportingErrors {
            let arguments = try edit.map { try parseJSONArgument($0, what: "--edit") }
            try await ApprovalDecider(options: options, models: models, rolesFile: roles)
                .decide(id, approve: true, as: user, comment: comment, arguments: arguments)
        }
    }
}
