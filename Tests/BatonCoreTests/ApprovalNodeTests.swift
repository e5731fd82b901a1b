import BatonCore
import Foundation
import Testing

/// The `approval` node: a run parks with a request that says what, why, the risk, the arguments
/// and who may decide; a person who holds the role decides, and the run goes on.
@Suite struct ApprovalNodeTests {
    static let roles = Roles(["dana": ["finance"], "sam": ["support"]])

    static func refundFlow(timeout: Duration? = .seconds(3600), onTimeout: ApprovalTimeoutOutcome = .reject) throws -> Workflow {
        var flow = WorkflowBuilder("refund")
        flow.node("review", .approval(ApprovalSpec(
            role: "finance", action: try Template("refund {{input.amount}} to {{input.customer}}"),
            reason: try Template("refunds over 100 need finance"), risk: .high,
            arguments: ["amount": .copy(try StatePath("input.amount")), "customer": .copy(try StatePath("input.customer"))],
            timeout: timeout, onTimeout: onTimeout
        )), into: "review")
        flow.function("pay") { context in
            let review = context.state["review"]
            return ["paid": review?["approved"] == true ? review?["arguments"]?["amount"] ?? .null : .null]
        }
        flow.edge("review", "pay")
        return try flow.build()
    }

    static let input: JSON = ["amount": 250, "customer": "c-17"]

    @Test func theRunParksWithARequestThatSaysWhatWhyAndWhoDecides() async throws {
        let store = InMemoryStore()
        let engine = Engine(store: store)
        let parked = try await engine.run(try Self.refundFlow(), input: Self.input)
        #expect(parked.status == .waiting)
        let id = "\(parked.id)/0.0/approval"
        #expect(parked.waitingFor.map(\.approval) == [id])
        let pending = try await engine.approvals()
        #expect(pending.count == 1)
        let request = try #require(pending.first).request
        #expect(request.id == id)
        #expect(request.action == "refund 250 to c-17")
        #expect(request.reason == "refunds over 100 need finance")
        #expect(request.risk == .high)
        #expect(request.role == "finance")
        #expect(request.arguments == ["amount": 250, "customer": "c-17"])
        #expect(request.node == "review")
        #expect(try #require(request.deadline) - request.requestedAt == 3_600_000)

        // Resuming before anyone decides parks again on the same request: no second request.
        let again = try await engine.resume(parked.id)
        #expect(again.status == .waiting)
        #expect(try await engine.approvals(status: nil).count == 1)
        let requested = try await store.events(run: parked.id, after: 0, limit: 100).filter { $0.type == .approvalRequested }
        #expect(requested.count == 1)
    }

    @Test func anApprovalWithEditedArgumentsContinuesTheRunWithThem() async throws {
        let store = InMemoryStore()
        let parked = try await Engine(store: store).run(try Self.refundFlow(), input: Self.input)
        let later = Engine(store: store)
        later.register(try Self.refundFlow())
        let finished = try await later.decide(
            approval: "\(parked.id)/0.0/approval", approve: true, as: "dana", roles: Self.roles, comment: "less", arguments: ["amount": 200, "customer": "c-17"]
        )
        #expect(finished.status == .succeeded)
        #expect(finished.output?["paid"] == 200)
        #expect(finished.output?["review"]?["by"] == "dana")
        #expect(finished.output?["review"]?["comment"] == "less")
        #expect(finished.output?["review"]?["timed_out"] == false)
        let events = try await store.events(run: parked.id, after: 0, limit: 100)
        #expect(EventChain.verify(events) == .intact(events: events.count, authentication: .none))
        let decided = try #require(events.first { $0.type == .approvalDecided })
        #expect(decided.data["by"] == "dana")
        #expect(decided.data["arguments"] == ["amount": 200, "customer": "c-17"])
        #expect(try await store.approval("\(parked.id)/0.0/approval")?.status == .approved)
    }

    @Test func aRejectionContinuesTheRunWithoutTheAction() async throws {
        let engine = Engine(store: InMemoryStore())
        let parked = try await engine.run(try Self.refundFlow(), input: Self.input)
        let finished = try await engine.decide(approval: "\(parked.id)/0.0/approval", approve: false, as: "dana", roles: Self.roles, comment: "duplicate")
        #expect(finished.status == .succeeded)
        #expect(finished.output?["paid"] == .null)
        #expect(finished.output?["review"]?["approved"] == false)
        #expect(finished.output?["review"]?["comment"] == "duplicate")
    }

    @Test func decisionsThatMayNotBeMadeAreRefusedAndChangeNothing() async throws {
        let store = InMemoryStore()
        let engine = Engine(store: store)
        let parked = try await engine.run(try Self.refundFlow(), input: Self.input)
        let id = "\(parked.id)/0.0/approval"
        await #expect(throws: ApprovalError.notPermitted(id, user: "sam", role: "finance", holders: ["dana"])) {
            try await engine.decide(approval: id, approve: true, as: "sam", roles: Self.roles)
        }
        await #expect(throws: ApprovalError.unknown("nope")) {
            try await engine.decide(approval: "nope", approve: true, as: "dana", roles: Self.roles)
        }
        await #expect(throws: ApprovalError.self) {
            try await engine.decide(approval: id, approve: true, as: "dana", roles: Self.roles, arguments: [1, 2])
        }
        await #expect(throws: ApprovalError.self) {
            try await engine.decide(approval: id, approve: false, as: "dana", roles: Self.roles, arguments: ["amount": 1])
        }
        #expect(try await store.approval(id)?.status == .pending)
        #expect(try await store.run(parked.id)?.status == .waiting)

        _ = try await engine.decide(approval: id, approve: false, as: "dana", roles: Self.roles)
        await #expect(throws: ApprovalError.alreadyDecided(id, status: .rejected, by: "dana")) {
            try await engine.decide(approval: id, approve: true, as: "dana", roles: Self.roles)
        }
    }

    @Test(arguments: [ApprovalTimeoutOutcome.reject, .approve])
    func anExpiredRequestIsDecidedByItsTimeoutRuleWhenTheRunResumes(_ outcome: ApprovalTimeoutOutcome) async throws {
        let store = InMemoryStore()
        let engine = Engine(store: store)
        let flow = try Self.refundFlow(timeout: .milliseconds(200), onTimeout: outcome)
        let parked = try await engine.run(flow, input: Self.input)
        #expect(parked.status == .waiting, "an approval is not a timer: the run parks instead of sleeping in-process")
        let id = "\(parked.id)/0.0/approval"
        try await Task.sleep(for: .milliseconds(300))
        await #expect(throws: ApprovalError.expired(id, deadline: try #require(try await store.approval(id)?.request.deadline), outcome: outcome)) {
            try await engine.decide(approval: id, approve: true, as: "dana", roles: Self.roles)
        }
        let finished = try await engine.resume(parked.id)
        #expect(finished.status == .succeeded)
        #expect(finished.output?["review"]?["timed_out"] == true)
        #expect(finished.output?["review"]?["approved"] == .bool(outcome == .approve))
        #expect(finished.output?["paid"] == (outcome == .approve ? 250 : .null))
        #expect(try await store.approval(id)?.status == .expired)
        let events = try await store.events(run: parked.id, after: 0, limit: 100)
        #expect(events.map(\.type).contains(.approvalExpired))
        #expect(EventChain.verify(events) == .intact(events: events.count, authentication: .none))
    }

    @Test func anApprovalInAChildRunContinuesTheParent() async throws {
        let engine = Engine(store: InMemoryStore())
        engine.register(try Self.refundFlow())
        var parent = WorkflowBuilder("refunds")
        parent.node("one", .workflow(SubworkflowCall(workflow: "refund", input: ["amount": .literal(500), "customer": .literal("c-9")])), into: "refund")
        let parked = try await engine.run(try parent.build())
        #expect(parked.status == .waiting)
        let request = try #require(try await engine.approvals().first).request
        #expect(request.run != parked.id)
        let finished = try await engine.decide(approval: request.id, approve: true, as: "dana", roles: Self.roles)
        #expect(finished.id == parked.id)
        #expect(finished.status == .succeeded)
        #expect(finished.output?["refund"]?["paid"] == 500)
    }

    @Test func parkedRunsHoldNothingInTheEngine() async throws {
        let store = InMemoryStore()
        let engine = Engine(store: store)
        let flow = try Self.refundFlow()
        var ids: [RunID] = []
        for _ in 0..<50 { ids.append(try await engine.run(flow, input: Self.input).id) }
        #expect(try await engine.approvals(limit: 100).count == 50)
        // A new engine, as in another process, decides and finishes every one from the store alone.
        let later = Engine(store: store)
        later.register(flow)
        for id in ids {
            let finished = try await later.decide(approval: "\(id)/0.0/approval", approve: true, as: "dana", roles: Self.roles)
            #expect(finished.status == .succeeded)
        }
        #expect(try await engine.approvals().isEmpty)
    }
}
