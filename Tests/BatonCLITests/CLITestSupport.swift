import BatonCore
import Foundation
import Subprocess
import SystemPackage
import Testing

/// Runs the built `baton` binary, as a user would.
struct CLI {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var json: JSON? { try? JSON(parsing: stdout.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The repository root, found from this file.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `baton` of the build under test: beside the test bundle (on Linux, `Bundle.main` is the
    /// directory that holds the test executable, so in it), whatever the scratch path.
    static let binary: URL = {
        let bundle = Bundle.main.bundleURL
        for directory in [bundle.deletingLastPathComponent(), bundle] {
            let beside = directory.appendingPathComponent("baton")
            if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        }
        return root.appendingPathComponent(".build/debug/baton")
    }()

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var store: String { directory.appendingPathComponent("store.sqlite").path }

    func example(_ name: String) -> String { CLI.root.appendingPathComponent("examples/\(name)").path }

    /// Runs `baton ARGUMENTS` with `--store` pointing at this test's store (unless `withStore` is false).
    /// The process is waited for on a thread of its own, never on the test's cooperative pool.
    @discardableResult
    func run(_ arguments: [String], withStore: Bool = true) async throws -> Output {
        try await launch(arguments, withStore: withStore, input: .none)
    }

    /// Runs `baton ARGUMENTS` with `input` on its standard input; the command must read all of it.
    func run(_ arguments: [String], withStore: Bool = true, input: String) async throws -> Output {
        try await launch(arguments, withStore: withStore, input: .string(input))
    }

    /// Runs `baton ARGUMENTS` while `work` runs on another thread (for example, holding a lock).
    func run(_ arguments: [String], withStore: Bool = true, during work: @escaping @Sendable () throws -> Void) async throws -> Output {
        let background = Thread { try? work() }
        background.start()
        try await Task.sleep(for: .milliseconds(200))
        return try await launch(arguments, withStore: withStore, input: .none)
    }

    /// Runs `baton ARGUMENTS` as another user (by uid), through `setpriv`.
    func run(_ arguments: [String], asUser uid: Int) async throws -> Output {
        try await launch(arguments, withStore: true, asUser: uid, input: .none)
    }

    /// Runs `baton ARGUMENTS` with `environment` added to this process's environment.
    func run(_ arguments: [String], withStore: Bool = true, environment: [String: String]) async throws -> Output {
        try await launch(arguments, withStore: withStore, environment: environment, input: .none)
    }

    /// Runs any program found on `PATH`, as the tests' other tools (a Python script) are run.
    static func program(_ name: String, _ arguments: [String]) async throws -> Output {
        let result = try await Subprocess.run(
            .name(name), arguments: Arguments(arguments), output: .string(limit: 1 << 22), error: .string(limit: 1 << 22)
        )
        return Output(status: exitStatus(result.terminationStatus), stdout: result.standardOutput, stderr: result.standardError)
    }

    private static func exitStatus(_ termination: TerminationStatus) -> Int32 {
        switch termination {
        case let .exited(code): code
        case let .signaled(signal): 128 + signal
        }
    }

    private func launch<Input: InputProtocol>(
        _ arguments: [String], withStore: Bool, asUser uid: Int? = nil, environment: [String: String] = [:], input: Input
    ) async throws -> Output {
        let arguments = arguments + (withStore ? ["--store", store] : [])
        let executable: String
        let fullArguments: [String]
        if let uid {
            executable = "/usr/bin/setpriv"
            fullArguments = ["--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", CLI.binary.path] + arguments
        } else {
            executable = CLI.binary.path
            fullArguments = arguments
        }
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(fullArguments),
            environment: .inherit.updating(Dictionary(uniqueKeysWithValues: environment.compactMap { name, value in
                Environment.Key(rawValue: name).map { ($0, Optional(value)) }
            })),
            workingDirectory: FilePath(directory.path),
            input: input, output: .string(limit: 1 << 22), error: .string(limit: 1 << 22)
        )
        return Output(status: Self.exitStatus(result.terminationStatus), stdout: result.standardOutput, stderr: result.standardError)
    }

    func write(_ name: String, _ contents: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// No Swift stack trace or crash report in what a command printed.
func expectNoCrash(_ output: CLI.Output, sourceLocation: SourceLocation = #_sourceLocation) {
    for marker in ["Fatal error", "Stack dump", "#0 ", "Illegal instruction", "Segmentation fault", "Swift/"] {
        #expect(!output.stderr.contains(marker), "stderr shows a crash: \(output.stderr)", sourceLocation: sourceLocation)
    }
}
