import BatonCore
import Foundation

/// Runs, owners and commits the cases build on.
extension StoreConformance {
    /// A pending run at superstep 0 with two tasks in its frontier.
    static func makeRun(
        _ id: RunID = RunID.generate(), workflow: String = "conformance", status: RunStatus = .pending, createdAt: Int64? = nil,
        input: JSON = ["topic": "otters"], waitingFor: [WaitCondition] = []
    ) -> RunRecord {
        let now = createdAt ?? EventDraft.now()
        let checkpoint = Checkpoint(
            superstep: 0, state: ["count": 0, "topic": input["topic"] ?? .null],
            frontier: [TaskSpec(key: "0.0", node: "a"), TaskSpec(key: "0.1", node: "b")], visits: ["a": 1, "b": 1]
        )
        return RunRecord(
            id: id, workflowName: workflow, workflowHash: "hash-\(workflow)", status: status, input: input, checkpoint: checkpoint,
            waitingFor: waitingFor, createdAt: now, updatedAt: now, tags: ["conformance", "region:eu"]
        )
    }

    /// Creates `run` with one `run.started` event and returns the record as the store should keep it.
    @discardableResult
    static func create(_ run: RunRecord, in store: any Store, events: [EventDraft]? = nil) async throws -> RunRecord {
        try await store.createRun(run, events: events ?? [EventDraft(.runStarted, ["workflow": .string(run.workflowName)], time: run.createdAt)])
        guard let stored = try await store.run(run.id) else {
            throw ConformanceFailure("createRun succeeded but run(\(run.id)) returned nil")
        }
        return stored
    }

    /// An owner in this process: live while its lease is unexpired.
    static func owner(_ name: String) -> LeaseOwner {
        LeaseOwner(id: "\(name)-\(UUID().uuidString.lowercased())", host: ProcessInfo.processInfo.hostName, pid: ProcessInfo.processInfo.processIdentifier)
    }

    /// An owner on this host whose process does not exist: its lease is not live, whatever its expiry.
    static func deadOwner() -> LeaseOwner {
        LeaseOwner(id: "dead-\(UUID().uuidString.lowercased())", host: ProcessInfo.processInfo.hostName, pid: Int32.max - 7)
    }

    /// An owner on another machine: live until its lease expires.
    static func remoteOwner() -> LeaseOwner {
        LeaseOwner(id: "remote-\(UUID().uuidString.lowercased())", host: "conformance-remote-host.invalid", pid: 4242)
    }

    static func allEvents(_ store: any Store, _ run: RunID) async throws -> [Event] {
        try await store.events(run: run, after: 0, limit: 100_000)
    }

    static func result(_ key: String, node: String, output: JSON = .null, writes: [StateWrite] = []) -> StepResult {
        StepResult(key: key, node: node, status: .completed, output: output, writes: writes)
    }
}
