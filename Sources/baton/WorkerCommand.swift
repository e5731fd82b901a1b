import ArgumentParser
import BatonCore
import BatonPostgres
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the runs of a PostgreSQL store until stopped, beside any number of other workers.",
        discussion: """
            The worker claims ready runs (started with `baton run --detach`, parked runs that were \
            signalled, approved or whose timer is due, and runs a dead worker left), drives each for \
            a turn of a few supersteps, and hands it back. On SIGTERM or SIGINT it claims nothing \
            more, lets the turns it holds finish (committing them and releasing their leases), and \
            exits 0. Each run's tools and agents come from its workflow file as stored.

            Examples:
              baton worker --store postgres://baton@db.internal/baton --concurrency 8
              BATON_STORE=postgres://baton@127.0.0.1/baton baton worker
            """
    )

    @Option(name: .long, help: "Runs driven at once.")
    var concurrency = 4

    @Option(name: .long, help: "Seconds a claimed run's lease lasts between heartbeats.")
    var leaseSeconds = 30

    @Option(name: .long, help: "Supersteps a run is driven before it is handed back, so that others get a turn.")
    var turn = 10

    @OptionGroup var options: StoreOptions

    @OptionGroup var models: ModelOptions

    func validate() throws {
        guard concurrency >= 1, concurrency <= 1000 else { throw ValidationError("--concurrency must be between 1 and 1000") }
        guard leaseSeconds >= 3 else { throw ValidationError("--lease-seconds must be at least 3") }
        guard turn >= 1 else { throw ValidationError("--turn must be at least 1") }
    }

    func run() async throws {
        try await reportingErrors {
            guard let store = try await options.openStore() as? PostgresStore else {
                throw CLIError("baton worker needs a PostgreSQL store: --store postgres://USER@HOST/DATABASE (or BATON_STORE)")
            }
            let toolkits = WorkerToolkits(store: store, models: models)
            let worker = PostgresWorker(
                store: store,
                options: PostgresWorker.Options(concurrency: concurrency, leaseDuration: .seconds(leaseSeconds), superstepsPerTurn: turn),
                makeEngine: { [options] record, engineOptions in
                    let toolkit = try await toolkits.toolkit(for: record)
                    return options.makeEngine(store: store, tools: toolkit.box, agents: toolkit.agents.runtime, engineOptions: engineOptions)
                },
                report: Self.print
            )
            printProgress("worker \(worker.owner.id) on \(store.location): up to \(concurrency) runs at once")
            let logger = Logger(label: "baton.worker", factory: { _ in SwiftLogNoOpLogHandler() })
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: [.init(service: WorkerService(worker: worker))], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            ))
            try await group.run()
            await toolkits.shutdown()
            printProgress("worker \(worker.owner.id) stopped")
        }
    }

    @Sendable static func print(_ report: PostgresWorker.Report) {
        switch report {
        case let .claimed(id): printProgress("claimed \(id)")
        case let .turnEnded(id, status): printProgress("\(id): \(status == .running ? "handed back" : status.rawValue)")
        case let .turnFailed(id, error): printProgress("\(id): turn failed: \(error)")
        case let .storeUnavailable(error, delay): printProgress("store unavailable (\(error)); retrying in \(delay)")
        }
    }
}

/// The worker as a service: graceful shutdown cancels it, and it ends its turns before returning.
struct WorkerService: Service {
    let worker: PostgresWorker

    func run() async throws {
        await cancelWhenGracefulShutdown { await worker.run() }
    }
}

/// The tools of each workflow a worker has run, assembled once (MCP servers started once) and
/// stopped when the worker stops.
actor WorkerToolkits {
    let store: PostgresStore
    let models: ModelOptions
    private var byWorkflow: [String: ToolAssembly] = [:]

    init(store: PostgresStore, models: ModelOptions) {
        self.store = store
        self.models = models
    }

    func toolkit(for record: RunRecord) async throws -> ToolAssembly {
        if let known = byWorkflow[record.workflowHash] { return known }
        let assembled = try await ToolAssembly.assemble(forRun: record.id, store: store, directory: FileManager.default.currentDirectoryPath, models: models)
        if let raced = byWorkflow[record.workflowHash] {
            await assembled.shutdown()
            return raced
        }
        byWorkflow[record.workflowHash] = assembled
        return assembled
    }

    func shutdown() async {
        for toolkit in byWorkflow.values { await toolkit.shutdown() }
        byWorkflow = [:]
    }
}
