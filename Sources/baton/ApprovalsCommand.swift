import ArgumentParser
import BatonCore
import Foundation

struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List approval requests: what waits for whom.",
        subcommands: [List.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List approval requests, newest first (the pending ones unless --status says otherwise).",
            discussion: "Example:\n  baton approvals list\n  baton approvals list --status all --json"
        )

        @Option(name: .long, help: "pending (default), approved, rejected, expired, or all.")
        var status: String = "pending"

        @Option(name: .long, help: "At most this many requests.")
        var limit = 50

        @OptionGroup var options: StoreOptions

        func validate() throws {
            guard status == "all" || ApprovalStatus(rawValue: status) != nil else {
                throw ValidationError("--status must be pending, approved, rejected, expired or all, not '\(status)'")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let store = try await options.openStore()
                let records = try await store.approvals(status: ApprovalStatus(rawValue: status), limit: limit)
                if options.json {
                    print(JSON.array(records.map(\.json)).canonicalString)
                    return
                }
                if records.isEmpty {
                    print(status == "all" ? "no approval requests" : "no \(status) approval requests")
                    return
                }
                let now = EventDraft.now()
                for record in records { print(Self.describe(record, now: now)) }
            }
        }

        /// Two lines per request: who decides what and why; then its run, times and arguments.
        static func describe(_ record: ApprovalRecord, now: Int64) -> String {
            let request = record.request
            var status = record.status.rawValue
            if record.status == .pending, request.isExpired(at: now) { status = "expired (applies on resume)" }
            if let by = record.decision?.by { status += " by \(by)" }
            var times = "requested \(ApprovalsCommand.time(request.requestedAt))"
            if let deadline = request.deadline { times += ", expires \(ApprovalsCommand.time(deadline)) (then \(request.onTimeout.rawValue))" }
            return """
                \(request.id)  \(status)  role \(request.role)  risk \(request.risk.rawValue)
                  \(request.action): \(request.reason)
                  run \(request.run), node \(request.node), \(times); arguments \(request.arguments.canonicalString)
                """
        }
    }

    /// A time as ISO 8601 in UTC.
    static func time(_ millis: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
