import BatonCore
import BatonPostgres
import Dispatch
import Foundation

/// `baton-bench --postgres-worker SCHEMA [--worker-concurrency N]`, not in `--help`: the worker
/// processes w5 starts (``WorkerProcesses``), so that no other binary is needed. It runs a
/// `PostgresWorker` on the store in SCHEMA of the bench's server (``BenchPostgres``; its parent
/// passes the URL in the environment, not on the command line, where a password would show), with
/// an engine that knows ``ChainWorkflow``, until SIGTERM or until the process that started it is
/// gone; then it lets its turns end, and exits 0. It prints nothing on standard output; a turn
/// that fails or a store that goes away is reported on standard error.
enum PostgresWorkerMode {
    static let name = "postgres-worker"

    /// Runs the worker; returns the exit status.
    static func run(schema: String, concurrency: Int) async -> Int32 {
        let store: PostgresStore
        let workflow: Workflow
        do {
            guard let server = try BenchPostgres.fromEnvironment(for: name) else {
                Runner.report("FAILED \(name): \(BenchPostgres.absence)")
                return 1
            }
            workflow = try ChainWorkflow.make()
            // A connection per run it drives, and one for the heartbeat (notifications have their own).
            store = try await PostgresStore(location: try server.location.with(schema: schema), connections: concurrency + 1)
        } catch {
            Runner.report("FAILED \(name): \(error)")
            return 1
        }
        let worker = PostgresWorker(
            store: store, options: PostgresWorker.Options(concurrency: concurrency),
            makeEngine: { _, engineOptions in
                let engine = Engine(store: store, options: engineOptions)
                engine.register(workflow)
                return engine
            },
            report: { report in
                switch report {
                case let .turnFailed(id, error): Runner.report("\(name) \(getpid()): the turn of \(id) failed: \(error)")
                case let .storeUnavailable(error, delay): Runner.report("\(name) \(getpid()): store unavailable (\(error)); retrying in \(delay)")
                case .claimed, .turnEnded: break
                }
            }
        )
        let running = Task { await worker.run() }
        signal(SIGTERM, SIG_IGN)
        let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        terminate.setEventHandler { running.cancel() }
        terminate.resume()
        // A worker whose parent died (the bench killed, or crashed) stops rather than linger.
        let parent = getppid()
        let orphaned = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                if getppid() != parent { running.cancel() }
            }
        }
        await running.value
        orphaned.cancel()
        terminate.cancel()
        store.close()
        return 0
    }
}
