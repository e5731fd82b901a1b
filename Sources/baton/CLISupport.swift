import ArgumentParser
import BatonCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exit statuses, one per way a run can end.
enum ExitStatus {
    static func code(for status: RunStatus) -> ExitCode {
        switch status {
        case .succeeded: return .success
        case .failed: return ExitCode(1)
        case .waiting, .pending, .running: return ExitCode(3)
        case .cancelled: return ExitCode(4)
        case .limitExceeded: return ExitCode(5)
        }
    }
    static let badInput = ExitCode(2)
}

/// Prints an error to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
}

/// Prints a line of progress to standard error (a worker's log).
func printProgress(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Runs a command body; any error becomes one clear line on standard error and exit status 2.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as CleanExit {
        throw error
    } catch {
        printError("\(error)")
        throw ExitStatus.badInput
    }
}

/// Whether standard output is a terminal (live progress is drawn only there).
var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

/// Reads a JSON argument given inline or as `@file`.
func parseJSONArgument(_ text: String, what: String) throws -> JSON {
    var source = text
    var origin = what
    if text.hasPrefix("@") {
        let path = String(text.dropFirst())
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read \(what) file '\(path)': no such file or it is not readable")
        }
        source = String(decoding: data, as: UTF8.self)
        origin = "\(what) file '\(path)'"
    }
    do {
        return try JSON(parsing: source)
    } catch {
        throw CLIError("\(origin) is not valid JSON: \(error)")
    }
}

/// A command-line error with a message for people.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension RunResult {
    /// What `run`, `resume`, `signal` and `fork` print.
    func print(asJSON: Bool) {
        if asJSON {
            Swift.print(json.canonicalString)
            return
        }
        switch status {
        case .succeeded:
            Swift.print("run \(id) succeeded")
            Swift.print(output?.prettyString() ?? "null")
        case .waiting:
            Swift.print("run \(id) is waiting for \(waitingFor.map(describe).joined(separator: ", "))")
            if let signal = waitingFor.compactMap(\.signal).first {
                Swift.print("continue it with: baton signal \(id) \(signal) --payload '{…}'")
            } else if let approval = waitingFor.compactMap(\.approval).first {
                Swift.print("decide it with: baton approve \(approval) --as USER (or baton reject \(approval) --as USER --reason …)")
            } else {
                Swift.print("continue it with: baton resume \(id)")
            }
        default:
            Swift.print("run \(id) \(status): \(reason ?? "no reason recorded")")
            if let output, status == .limitExceeded { Swift.print("partial state:\n" + output.prettyString()) }
        }
    }

    private func describe(_ condition: WaitCondition) -> String {
        var parts: [String] = []
        if let approval = condition.approval {
            var text = "approval request \(approval)"
            if let deadline = condition.deadline { text += " (until \(ApprovalsCommand.time(deadline)))" }
            return text
        }
        if let signal = condition.signal { parts.append("signal '\(signal)'") }
        if let deadline = condition.deadline {
            parts.append("a timer at \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(deadline) / 1000)))")
        }
        if let child = condition.child { parts.append("child run \(child)") }
        return parts.joined(separator: " or ")
    }
}
