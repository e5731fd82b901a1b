import Foundation

/// The command line: `baton-bench [--workload NAME|all] [--quick] [--directory PATH]`.
struct BenchOptions: Sendable {
    /// `nil` runs every workload.
    var workload: String?
    var quick = false
    /// Multiplies the full counts (not the quick ones): longer loops for profiling and steadier numbers.
    var scale = 1
    var directory = FileManager.default.temporaryDirectory.path
    var help = false
    /// `--postgres-worker SCHEMA` (not in the usage): run as one of w5's worker processes
    /// (``PostgresWorkerMode``) on that schema instead of running workloads.
    var workerSchema: String?
    /// `--worker-concurrency N`: runs such a worker drives at once.
    var workerConcurrency = 8

    static let usage = """
        usage: baton-bench [--workload NAME|all] [--quick] [--scale N] [--directory PATH]

          --workload NAME   run one workload (default: all, each in its own process)
          --quick           tiny counts, for CI: checks the results, measures little
          --scale N         N times the full counts (for profiling, or steadier numbers)
          --directory PATH  where the database files go (default: the temporary directory)

        Each workload prints one JSON line on standard output; a wrong result prints an error on
        standard error and exits with status 1.

        workloads:
        """

    /// Reads the arguments (without the program name); throws a message the user can act on.
    static func parse(_ arguments: [String]) throws(UsageError) -> BenchOptions {
        var options = BenchOptions()
        var rest = arguments[...]
        func value(of flag: String) throws(UsageError) -> String {
            guard let value = rest.popFirst(), !value.hasPrefix("--") else { throw UsageError("\(flag) needs a value") }
            return value
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--workload": options.workload = try value(of: argument)
            case "--quick": options.quick = true
            case "--scale":
                let text = try value(of: argument)
                guard let scale = Int(text), scale >= 1 else { throw UsageError("--scale needs a whole number of at least 1, not '\(text)'") }
                options.scale = scale
            case "--directory": options.directory = try value(of: argument)
            case "--help", "-h": options.help = true
            case "--postgres-worker": options.workerSchema = try value(of: argument)
            case "--worker-concurrency":
                let text = try value(of: argument)
                guard let concurrency = Int(text), concurrency >= 1 else { throw UsageError("--worker-concurrency needs a whole number of at least 1, not '\(text)'") }
                options.workerConcurrency = concurrency
            default: throw UsageError("unknown argument '\(argument)'")
            }
        }
        if options.workload == "all" { options.workload = nil }
        if let name = options.workload, !allWorkloads.contains(where: { $0.name == name }) {
            let names = allWorkloads.map(\.name).joined(separator: ", ")
            throw UsageError("no workload named '\(name)'; choose one of \(names), or all")
        }
        return options
    }

    static var help: String {
        usage + "\n" + allWorkloads.map { "  \($0.name.padding(toLength: 18, withPad: " ", startingAt: 0))\($0.summary)" }.joined(separator: "\n")
    }
}

/// An argument the command does not understand.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
