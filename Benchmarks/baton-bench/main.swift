import Foundation

// baton-bench: the numbers behind every speed claim. See docs/performance.md.

let options: BenchOptions
do {
    options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    Runner.report("\(error)\n\n\(BenchOptions.help)")
    exit(2)
}
if options.help {
    print(BenchOptions.help)
    exit(0)
}
if let schema = options.workerSchema {
    exit(await PostgresWorkerMode.run(schema: schema, concurrency: options.workerConcurrency))
}
if let name = options.workload, let workload = allWorkloads.first(where: { $0.name == name }) {
    exit(await Runner.runOne(workload, options: options))
} else {
    exit(Runner.runAll(options: options))
}
