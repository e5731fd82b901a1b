import ArgumentParser
import BatonCore
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check and export the tamper-evident event journal (docs/audit.md).",
        subcommands: [Verify.self, Export.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a run's journal (or every run's, or an export) and report the first broken link.",
            discussion: """
                Checks every event's number, link and hash, that the journal ends where the run record's head \
                says, and, with BATON_AUDIT_KEY (or BATON_AUDIT_KEY_FILE) set, every MAC and the head's.

                Exit status 0 when intact, 1 when any journal is broken (or, with --require-mac, not \
                authenticated by a key given), 2 for bad input.

                Examples:
                  baton audit verify run_0193f2a4c1de7a1b2c3d
                  BATON_AUDIT_KEY=… baton audit verify --all --require-mac
                  baton audit verify --export run.audit.jsonl
                """
        )

        @Argument(help: "The run to verify.")
        var run: String?

        @Flag(name: .long, help: "Verify every run in the store.")
        var all = false

        @Option(name: .long, help: "Verify an export written by `baton audit export` instead of the store.")
        var export: String?

        @Flag(name: .customLong("require-mac"), help: "Fail a journal whose MACs were not verified: written without a key, or no key given.")
        var requireMAC = false

        @OptionGroup var options: StoreOptions

        func validate() throws {
            if [run != nil, all, export != nil].filter({ $0 }).count != 1 { throw ValidationError("name one run, or pass --all or --export FILE") }
        }

        func run() async throws {
            try await reportingErrors {
                let keys = try AuditKeys.load()
                var report = Report(keys: keys, requireMAC: requireMAC, json: options.json)
                if let export {
                    report.add(export, try Self.readExport(export))
                } else {
                    let store = try await options.openStore()
                    let ids = try await all ? store.runs(RunQuery(limit: Int.max)).map(\.id) : [RunID(run ?? "")]
                    for id in ids { report.add(id.rawValue, try await store.auditTrail(run: id)) }
                }
                if all && !options.json { print(report.summary) }
                if report.failed > 0 { throw ExitCode(1) }
            }
        }

        static func readExport(_ path: String) throws -> AuditTrail {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIError("cannot read the export '\(path)': no such file or it is not readable")
            }
            do {
                return try AuditTrail(exportLines: String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false))
            } catch {
                throw CLIError("\(path): \(error)")
            }
        }
    }

    /// What `verify` prints, one line per journal, and what it counts.
    struct Report {
        var keys: [AuditKey]
        var requireMAC: Bool
        var json: Bool
        var verified = 0
        var broken = 0
        var unauthenticated = 0
        var failed: Int { broken + (requireMAC ? unauthenticated : 0) }

        mutating func add(_ name: String, _ trail: AuditTrail) {
            let verdict = trail.verify(keys: keys)
            verified += 1
            var refused = false
            switch verdict {
            case .broken: broken += 1
            case .intact(_, .verified): break
            case .intact:
                unauthenticated += 1
                refused = requireMAC
            }
            if json {
                var line = verdict.json.objectValue ?? [:]
                line["run"] = .string(trail.head.run.rawValue)
                if refused { line["refused"] = "--require-mac: its MACs were not verified" }
                print(JSON.object(line).canonicalString)
            } else {
                print("\(name): \(refused ? "refused by --require-mac, " : "")\(verdict)")
            }
        }

        var summary: String {
            var text = "\(verified) runs verified, \(broken) broken"
            if unauthenticated > 0 { text += ", \(unauthenticated) not authenticated by a key given" }
            return text
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a run's journal as JSON lines that anyone can verify, with Baton or without (docs/audit.md).",
            discussion: """
                The first line is the run's head (its event count, last hash and, when keyed, its MAC); \
                then one line per event, with every field needed to verify it. Every line is canonical JSON.

                Examples:
                  baton audit export run_0193f2a4c1de7a1b2c3d --output run.audit.jsonl
                  python3 scripts/verify-audit-export.py run.audit.jsonl
                """
        )

        @Argument(help: "The run to export.")
        var run: String

        @Option(name: .shortAndLong, help: "The file to write (default: standard output).")
        var output: String?

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let trail = try await options.openStore().auditTrail(run: RunID(run))
                let text = Data(trail.exportLines.map { $0 + "\n" }.joined().utf8)
                guard let output else {
                    FileHandle.standardOutput.write(text)
                    return
                }
                do {
                    try text.write(to: URL(fileURLWithPath: output), options: .atomic)
                } catch {
                    throw CLIError("cannot write the export to '\(output)': \(error.localizedDescription)")
                }
                print("exported \(trail.events.count) events of run \(trail.head.run) to \(output)")
            }
        }
    }
}
