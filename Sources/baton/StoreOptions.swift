import ArgumentParser
import BatonCore
import BatonPostgres
import BatonSQLite
import BatonSpec
import Foundation

/// Options every command that touches the store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store: a SQLite file, or a postgres:// URL (default: $BATON_STORE or .baton/baton.sqlite).")
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

    /// Opens the store (PostgreSQL for a `postgres://` URL, else the SQLite file), with this
    /// process's current audit key if one is set (``AuditKeys``), failing with a clear message.
    func openStore() async throws -> any Store & ResponseCache {
        let location = storePath
        let key = try AuditKeys.load().first
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            return try await PostgresStore(url: location, auditKey: key)
        }
        return try SQLiteStore(path: location, durability: durability, auditKey: key)
    }

    /// An engine on the store that can load stored YAML workflows back to resume their runs,
    /// calling `tools` for `tool` nodes and `agents` for `agent` nodes.
    /// `BATON_ENVIRONMENT` (`production`, `staging`, …) is the environment policies match on.
    /// `engineOptions` are the engine's settings (a worker's owner and turn length).
    func makeEngine(store: any Store, tools: ToolBox? = nil, agents: AgentRuntime? = nil, engineOptions: EngineOptions = EngineOptions()) -> Engine {
        var engineOptions = engineOptions
        engineOptions.environment = ProcessInfo.processInfo.environment["BATON_ENVIRONMENT"].flatMap { $0.isEmpty ? nil : $0 }
        return Engine(store: store, options: engineOptions, tools: tools, agents: agents, workflows: WorkflowLoader())
    }
}

extension SQLiteStore.Durability: ExpressibleByArgument {}
