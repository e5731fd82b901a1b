import ArgumentParser
import BatonCore
import Foundation

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List runs, show one, or follow its events.",
        subcommands: [List.self, Show.self, Events.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List runs, newest first.",
            discussion: "Example:\n  baton runs list --status waiting"
        )

        @Option(name: .long, help: "Only runs with this status: pending, running, waiting, succeeded, failed, cancelled, limit-exceeded.")
        var status: RunStatus?

        @Option(name: .long, help: "At most this many runs.")
        var limit = 50

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let store = try await options.openStore()
                let runs = try await store.runs(RunQuery(status: status, limit: limit))
                if options.json {
                    print(JSON.array(runs.map(\.summary)).canonicalString)
                    return
                }
                if runs.isEmpty {
                    print(status.map { "no \($0) runs" } ?? "no runs yet; start one with `baton run FILE`")
                    return
                }
                for run in runs {
                    let when = EventPrinter.timestamp(run.createdAt)
                    print("\(run.id)  \(run.status.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0))  \(run.workflowName)  \(when)")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a run as a timeline of supersteps and steps: durations, attempts, errors, state changes.",
            discussion: "Example:\n  baton runs show run_0193f2a4c1de7a1b2c3d"
        )

        @Argument(help: "The run's id.")
        var run: String

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let store = try await options.openStore()
                let id = RunID(run)
                guard let record = try await store.run(id) else { throw StoreError.runNotFound(id) }
                let events = try await allEvents(store, id)
                if options.json {
                    var summary = record.summary
                    if case var .object(members) = summary {
                        members["input"] = record.input
                        members["state"] = record.checkpoint.state
                        members["events"] = .array(events.map(\.json))
                        summary = .object(members)
                    }
                    print(summary.canonicalString)
                    return
                }
                print(RunTimeline(record: record, events: events).render())
            }
        }
    }

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a run's events; with --follow, keep printing until the run stops.",
            discussion: "Example:\n  baton runs events run_0193f2a4c1de7a1b2c3d --follow"
        )

        @Argument(help: "The run's id.")
        var run: String

        @Flag(name: .long, help: "Keep printing new events until the run finishes or parks.")
        var follow = false

        @OptionGroup var options: StoreOptions

        func run() async throws {
            try await reportingErrors {
                let store = try await options.openStore()
                let id = RunID(run)
                guard try await store.run(id) != nil else { throw StoreError.runNotFound(id) }
                let follower = EventFollower(store: store, run: id, json: options.json)
                if follow {
                    try await follower.follow(until: {
                        guard let record = try await store.run(id) else { return true }
                        return record.status.isTerminal || record.status == .waiting
                    })
                } else {
                    try await follower.drain()
                }
            }
        }
    }
}

/// Every event of a run.
func allEvents(_ store: any Store, _ id: RunID) async throws -> [Event] {
    var events: [Event] = []
    while true {
        let page = try await store.events(run: id, after: events.last?.seq ?? 0, limit: 1000)
        events += page
        if page.count < 1000 { return events }
    }
}

extension RunStatus: ExpressibleByArgument {}

extension RunRecord {
    /// The fields `runs list --json` prints.
    var summary: JSON {
        var members: [String: JSON] = [
            "id": .string(id.rawValue), "workflow": .string(workflowName), "workflow_hash": .string(workflowHash),
            "status": .string(status.rawValue), "created": .int(Int(createdAt)), "updated": .int(Int(updatedAt)),
            "superstep": .int(checkpoint.superstep), "events": .int(lastSeq),
        ]
        if let output { members["output"] = output }
        if let reason { members["reason"] = .string(reason) }
        if let parent { members["parent"] = ["run": .string(parent.run.rawValue), "relation": .string(parent.relation.rawValue), "at": .string(parent.at)] }
        if !waitingFor.isEmpty { members["waiting_for"] = .array(waitingFor.map(\.json)) }
        if !tags.isEmpty { members["tags"] = .array(tags.map(JSON.string)) }
        return .object(members)
    }
}
