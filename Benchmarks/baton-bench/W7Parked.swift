import BatonCore
import BatonSQLite
import Foundation

/// w7_parked: what a parked run costs the process. 10,000 runs (quick: 200) each park on an
/// `approval` node, on the SQLite store; the process's resident memory is read before, halfway
/// and after; then every request is approved and every run resumed to the end. Figures: µs per
/// run to park, µs per run to decide and resume. The target: parked runs add no process memory
/// per run, judged by the growth between the halfway and the final reading (the first half pays
/// for the allocator's and SQLite's bounded caches), per run.
struct W7Parked: Workload {
    let name = "w7_parked"
    let summary = "10,000 runs parked on an approval (SQLite): resident memory per parked run (target: none), time to decide and resume all"
    /// Growth per parked run that counts as none: noise of a few pages over thousands of runs.
    static let targetBytesPerRun = 64.0

    func run(_ context: BenchContext) async throws -> Measurement {
        let runs = context.count(10_000, quick: 200)
        let store = try SQLiteStore(path: context.directory.file("parked.sqlite"), durability: .normal)
        let engine = Engine(store: store)
        let workflow = try Self.workflow()
        let roles = Roles(["dana": ["finance"]])
        try await warmUp(engine, workflow, roles: roles)

        let before = Meter.residentKilobytes()
        var halfway = before
        let park = try await Meter.measure(ops: runs, unit: "run") {
            for index in 0..<runs {
                if index == runs / 2 { halfway = Meter.residentKilobytes() }
                let parked = try await engine.run(workflow, input: ["amount": .int(100 + index % 900)])
                try expect(parked.status == .waiting, in: name, "run \(parked.id) ended \(parked.status) instead of parking on its approval")
            }
        }
        let after = Meter.residentKilobytes()
        let pending = try await store.approvals(status: .pending, limit: runs + 1)
        try expect(pending.count == runs, in: name, "\(pending.count) pending approval requests for \(runs) parked runs")

        // The requests come from the store, not from a list this process kept: nothing per run is held.
        let resume = try await Meter.measure(ops: runs, unit: "run") {
            for record in pending {
                let finished = try await engine.decide(approval: record.request.id, approve: true, as: "dana", roles: roles)
                try expect(
                    finished.status == .succeeded && finished.output?["paid"] == true, in: name, "run \(record.request.run) ended \(finished.status) after its approval"
                )
            }
        }
        try expect(try await store.approvals(status: .pending, limit: 1).isEmpty, in: name, "requests are still pending after every run resumed")
        try store.close()

        let perRun = Double(after - halfway) * 1024 / Double(runs - runs / 2)
        return Measurement(
            workload: name, primary: "resume", figures: [("park", park), ("resume", resume)],
            params: [
                ("store", .string("sqlite")), ("durability", .string("normal")), ("runs", .int(runs)), ("quick", .bool(context.quick)),
                ("rss_before_kb", .int(before)), ("rss_halfway_kb", .int(halfway)), ("rss_after_kb", .int(after)),
                ("bytes_per_parked_run", .number(perRun, digits: 1)),
                ("bytes_per_parked_run_whole", .number(Double(after - before) * 1024 / Double(runs), digits: 1)),
                ("target_bytes_per_parked_run", .number(Self.targetBytesPerRun, digits: 0)),
                ("target_met", .bool(perRun <= Self.targetBytesPerRun)),
            ],
            peakRSSKilobytes: Meter.peakRSSKilobytes()
        )
    }

    /// An approval of the amount, then a step that pays.
    static func workflow() throws -> Workflow {
        var flow = WorkflowBuilder("bench-parked")
        flow.node("review", .approval(ApprovalSpec(
            role: "finance", action: try Template("refund {{input.amount}}"), arguments: ["amount": .copy(try StatePath("input.amount"))]
        )), into: "review")
        flow.function("pay") { context in ["paid": context.state["review"]?["approved"] ?? false] }
        flow.edge("review", "pay")
        return try flow.build()
    }

    /// Parks and resumes a few runs, so that the readings start with the code and caches loaded.
    private func warmUp(_ engine: Engine, _ workflow: Workflow, roles: Roles) async throws {
        for _ in 0..<20 {
            let parked = try await engine.run(workflow, input: ["amount": 1])
            _ = try await engine.decide(approval: "\(parked.id)/0.0/approval", approve: true, as: "dana", roles: roles)
        }
    }
}
