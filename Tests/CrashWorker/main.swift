// A helper process for the crash test: runs a 50-step workflow on a SQLite store whose steps
// each write to an outside ledger through `effect`. The test kills it with SIGKILL at random
// moments and starts it again with `resume`.
//
// usage: CrashWorker STORE LEDGER RUN-ID start|resume
// It prints `ready` once its store is open, then the run's result as one JSON line.
import BatonCore
import BatonSQLite
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The outside world: an append-only file, one idempotency key per line, synced before the call returns.
struct Ledger: Sendable {
    let path: String

    func append(_ key: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw NodeError(code: "ledger", message: "cannot open \(path)") }
        defer { close(descriptor) }
        let line = Array((key + "\n").utf8)
        guard line.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == line.count else {
            throw NodeError(code: "ledger", message: "short write")
        }
        fsync(descriptor)
    }
}

func crashWorkflow(ledger: Ledger) throws -> Workflow {
    var flow = WorkflowBuilder("crash-50")
    flow.state("sum", .sum, initial: 0)
    flow.state("log", .append, initial: [])
    for index in 0..<50 {
        flow.function("step\(index)") { context in
            let value: Int = try await context.effect("ledger") { key in
                try ledger.append(key)
                return index * index
            }
            try await Task.sleep(for: .milliseconds(25))
            return ["sum": .int(value), "log": .string("step\(index)")]
        }
        if index > 0 { flow.edge("step\(index - 1)", "step\(index)") }
    }
    return try flow.build()
}

let arguments = CommandLine.arguments
guard arguments.count == 5 else {
    FileHandle.standardError.write(Data("usage: CrashWorker STORE LEDGER RUN-ID start|resume\n".utf8))
    exit(2)
}
let store = try SQLiteStore(path: arguments[1], durability: .full)
let engine = Engine(store: store)
let workflow = try crashWorkflow(ledger: Ledger(path: arguments[2]))
engine.register(workflow)
// Unbuffered, so the test starts its kill timer now and not when the process exits.
FileHandle.standardOutput.write(Data("ready\n".utf8))
let id = RunID(arguments[3])
// A kill can fall before the run was created: then "resume" starts it.
let exists = try await store.run(id) != nil
let result = arguments[4] == "start" || !exists ? try await engine.run(workflow, id: id) : try await engine.resume(id)
print(result.json.canonicalString)
exit(result.status == .succeeded ? 0 : 1)
