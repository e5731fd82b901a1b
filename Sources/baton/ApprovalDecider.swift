import ArgumentParser
import BatonCore
import BatonSpec
import Foundation

/// What `approve` and `reject` share: the roles that may decide, and deciding with the run's
/// tools and agents at hand, so that the run goes on in this process.
struct ApprovalDecider {
    let options: StoreOptions
    let models: ModelOptions
    /// A YAML file with a `roles:` section, added to the roles of the run's workflow file.
    let rolesFile: String?

    func decide(_ id: String, approve: Bool, as user: String, comment: String?, arguments: JSON?) async throws {
        let store = try await options.openStore()
        guard let record = try await store.approval(id) else { throw ApprovalError.unknown(id) }
        let roles = try await self.roles(for: record.request.run, store: store)
        let tools = try await ToolAssembly.assemble(
            forRun: record.request.run, store: store, directory: FileManager.default.currentDirectoryPath, models: models
        )
        let result = try await tools.using { box in
            try await options.makeEngine(store: store, tools: box, agents: tools.agents.runtime).decide(
                approval: id, approve: approve, as: user, roles: roles, comment: comment, arguments: arguments
            )
        }
        if !options.json { print("\(approve ? "approved" : "rejected") \(id) as \(user)") }
        result.print(asJSON: options.json)
        if result.status != .succeeded && result.status != .waiting { throw ExitStatus.code(for: result.status) }
    }

    /// The roles of the run's workflow file (and of the runs above it), with `--roles`.
    private func roles(for run: RunID, store: some Store) async throws -> Roles {
        var roles = try rolesFile.map { try WorkflowLoader.roles(file: $0) } ?? Roles()
        var current: RunID? = run
        while let id = current, let record = try await store.run(id) {
            if let stored = try await store.workflow(hash: record.workflowHash), stored.format == "yaml" {
                roles = roles.merging(try WorkflowLoader().loadDocument(stored).roles)
            }
            current = record.parent?.relation == .child ? record.parent?.run : nil
        }
        return roles
    }
}
