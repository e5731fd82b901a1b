import ArgumentParser
import BatonCore
import BatonSQLite
import BatonSpec
import Foundation

/// Options every command that touches the store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store file (default: $BATON_STORE or .baton/baton.sqlite).")
    var store: String?

    @Option(name: .long, help: "full (default: every commit is on disk before the next step), normal (may lose the last commits on power loss), or batched (group commit of concurrent runs).")
    var durability: SQLiteStore.Durability = .full

    @Flag(name: .long, help: "Print machine-readable JSON.")
    var json = false

    var storePath: String {
        if let store { return store }
        if let fromEnvironment = ProcessInfo.processInfo.environment["BATON_STORE"], !fromEnvironment.isEmpty { return fromEnvironment }
        return SQLiteStore.defaultPath(in: FileManager.default.currentDirectoryPath)
    }

    /// Opens the store, with this process's current audit key if one is set (``AuditKeys``),
    /// failing with a clear message.
    func openStore() throws -> SQLiteStore {
        try SQLiteStore(path: storePath, durability: durability, auditKey: AuditKeys.load().first)
    }

    /// An engine on the store that can load stored YAML workflows back to resume their runs,
    /// calling `tools` for `tool` nodes and `agents` for `agent` nodes.
    /// `BATON_ENVIRONMENT` (`production`, `staging`, …) is the environment policies match on.
    func makeEngine(store: SQLiteStore, tools: ToolBox? = nil, agents: AgentRuntime? = nil) -> Engine {
        let environment = ProcessInfo.processInfo.environment["BATON_ENVIRONMENT"].flatMap { $0.isEmpty ? nil : $0 }
        return Engine(store: store, options: EngineOptions(environment: environment), tools: tools, agents: agents, workflows: WorkflowLoader())
    }
}

extension SQLiteStore.Durability: ExpressibleByArgument {}
