import Foundation
import Subprocess
import SystemPackage

/// The crash harness: runs a workflow's process, kills it with SIGKILL at random moments and
/// starts it again each time, then lets it run to its end, so that a test can check that the run
/// finished exactly as an uncrashed one would (its state, its journal, its effects once each).
///
/// Each start is a ``Life``: the first one starts the run, the later ones resume it. With `baton`:
///
/// ```swift
/// let harness = CrashHarness(kills: 20, killDelay: .milliseconds(50) ... .milliseconds(400))
/// let report = try await harness.run { _ in
///     // Resume the run if a life got as far as creating it, else start it.
///     if let id = try await newestRun(in: store) {
///         return CrashHarness.Life(executable: baton, arguments: ["resume", id, "--store", store, "--json"])
///     }
///     return CrashHarness.Life(executable: baton, arguments: ["run", "flow.yaml", "--store", store, "--json"])
/// }
/// #expect(report.kills == 20)
/// guard case let .exited(0, output) = report.final else { … }   // the run's result, as JSON
/// ```
///
/// A process can print ``readyLine`` once it may be killed (its store open): the delay before the
/// kill is then counted from it, not from the start, so that kills land in the run and not in the
/// process's start-up. The kill is timed on a thread of its own, not with `Task.sleep`: on a
/// loaded machine the cooperative pool can be busy for seconds, and a late timer would let the
/// process finish instead of dying.
public struct CrashHarness: Sendable {
    /// One start of the process.
    public struct Life: Sendable {
        public var executable: String
        public var arguments: [String]
        /// Added to the harness's own environment.
        public var environment: [String: String]

        public init(executable: String, arguments: [String], environment: [String: String] = [:]) {
            self.executable = executable
            self.arguments = arguments
            self.environment = environment
        }
    }

    /// How one life ended.
    public enum Outcome: Sendable, Equatable {
        /// Killed by the harness (or by another signal).
        case killed
        /// Ended by itself, with its exit status and the last non-empty line it printed.
        case exited(Int32, output: String)
    }

    /// What a run of the harness did.
    public struct Report: Sendable {
        /// Lives killed with SIGKILL.
        public var kills: Int
        /// Lives started.
        public var lives: Int
        /// How the last life ended (``Outcome/exited(_:output:)`` unless ``maxLives`` ran out).
        public var final: Outcome?
    }

    /// Lives to kill before one is let run to its end.
    public var kills: Int
    /// The delay between a life's start (or its ``readyLine``) and its kill, picked at random.
    public var killDelay: ClosedRange<Duration>
    /// The line a process prints when it is ready to be killed; `nil`: delays count from the start.
    public var readyLine: String?
    /// The most lives started before giving up.
    public var maxLives: Int

    public init(
        kills: Int = 25, killDelay: ClosedRange<Duration> = .milliseconds(10) ... .milliseconds(90), readyLine: String? = nil, maxLives: Int = 400
    ) {
        self.kills = kills
        self.killDelay = killDelay
        self.readyLine = readyLine
        self.maxLives = maxLives
    }

    /// Starts lives (`life(n)` for the n-th, from 0) and kills each a random ``killDelay`` after it
    /// is ready, until ``kills`` have died or one ends by itself with status 0 (the run finished
    /// before its kill: nothing is left to crash); after the kills, starts lives until one ends by
    /// itself with status 0 (a life that fails is started again too, as a user would resume it).
    public func run(_ life: (_ number: Int) async throws -> Life) async throws -> Report {
        var report = Report(kills: 0, lives: 0, final: nil)
        var generator = SystemRandomNumberGenerator()
        while report.lives < maxLives {
            let delay: Duration? = report.kills < kills ? randomDelay(using: &generator) : nil
            let outcome = try await live(try await life(report.lives), killAfter: delay)
            report.lives += 1
            report.final = outcome
            switch outcome {
            case .killed: report.kills += 1
            case .exited(0, _): return report
            case .exited: continue
            }
        }
        return report
    }

    /// Runs one life; with `killAfter`, sends it SIGKILL that long after it is ready, unless it has
    /// ended by then.
    public func live(_ life: Life, killAfter: Duration?) async throws -> Outcome {
        let overrides = Dictionary(uniqueKeysWithValues: life.environment.map { (Environment.Key(stringLiteral: $0.key), Optional($0.value)) })
        let readyLine = self.readyLine
        let result = try await Subprocess.run(
            .path(FilePath(life.executable)), arguments: Arguments(life.arguments),
            environment: .inherit.updating(overrides),
            input: .none, output: .sequence, error: .discarded
        ) { execution in
            let scheduleKill = { @Sendable () -> Void in
                guard let killAfter else { return }
                let seconds = Double(killAfter.components.seconds) + Double(killAfter.components.attoseconds) * 1e-18
                Thread.detachNewThread {
                    Thread.sleep(forTimeInterval: seconds)
                    try? execution.send(signal: .kill)
                }
            }
            if readyLine == nil { scheduleKill() }
            var lastLine = ""
            for try await line in execution.standardOutput.strings() {
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if let readyLine, trimmed == readyLine {
                    scheduleKill()
                } else if !trimmed.isEmpty {
                    lastLine = trimmed
                }
            }
            return lastLine
        }
        switch result.terminationStatus {
        case let .exited(code): return .exited(code, output: result.closureResult)
        case .signaled: return .killed
        }
    }

    private func randomDelay(using generator: inout SystemRandomNumberGenerator) -> Duration {
        let low = killDelay.lowerBound / .microseconds(1)
        let high = killDelay.upperBound / .microseconds(1)
        return .microseconds(Int64(Double.random(in: low...high, using: &generator)))
    }
}
