import Foundation

/// Worker processes on one schema, each this executable in ``PostgresWorkerMode``: started
/// together, stopped with SIGTERM (each lets its turns end and exits 0), and waited for, so that
/// their CPU time counts in `RUSAGE_CHILDREN`. Their standard output goes to standard error, so
/// that the bench's standard output holds only JSON lines.
struct WorkerProcesses {
    private let processes: [Process]
    private let workload: String

    /// Starts `count` workers, each driving up to `concurrency` runs of `schema` on `server`.
    init(count: Int, schema: String, concurrency: Int, server: BenchPostgres, workload: String) throws {
        self.workload = workload
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var environment = ProcessInfo.processInfo.environment
        environment["BATON_BENCH_POSTGRES_URL"] = server.url
        environment["BATON_BENCH_POSTGRES_SOCKET"] = server.socketDirectory
        var started: [Process] = []
        for _ in 0..<count {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["--postgres-worker", schema, "--worker-concurrency", String(concurrency)]
            process.environment = environment
            process.standardOutput = FileHandle.standardError
            do {
                try process.run()
            } catch {
                for other in started { other.terminate() }
                throw BenchFailure(workload: workload, "cannot start the worker process \(executable.path): \(error.localizedDescription)")
            }
            started.append(process)
        }
        processes = started
    }

    /// Whether every worker is still running (one that ended early has failed).
    var allRunning: Bool { processes.allSatisfy(\.isRunning) }

    /// Sends SIGTERM to each and waits for it to exit, at most `timeout` (then SIGKILL). Throws
    /// if one ended other than with status 0.
    func stop(timeout: Duration = .seconds(30)) async throws {
        for process in processes where process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + timeout
        while processes.contains(where: \.isRunning), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        var failures: [String] = []
        for process in processes {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                failures.append("worker \(process.processIdentifier) did not stop within \(timeout) of SIGTERM")
            } else if process.terminationReason != .exit || process.terminationStatus != 0 {
                let how = process.terminationReason == .exit ? "with status" : "by signal"
                failures.append("worker \(process.processIdentifier) ended \(how) \(process.terminationStatus)")
            }
        }
        try expect(failures.isEmpty, in: workload, failures.joined(separator: "; "))
    }
}
