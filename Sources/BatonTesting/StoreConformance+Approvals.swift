import BatonCore

/// Approval requests: kept once, listed, decided once, each step in the run's journal.
extension StoreConformance {
    static func approvalRequest(_ id: String, run: RunID, requestedAt: Int64, deadline: Int64? = nil, role: String = "finance") -> ApprovalRequest {
        ApprovalRequest(
            id: id, run: run, step: "1.0", node: "review", action: "refund 250 to c-17", reason: "refunds over 100", risk: .high,
            arguments: ["amount": 250, "customer": "c-17"], role: role, requestedAt: requestedAt, deadline: deadline, onTimeout: .reject
        )
    }

    /// A request is kept once (asking again returns the first, with no second event), read back
    /// exactly, and listed newest first, by status.
    public func approvalsRequestedOnceAndListed(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(status: .waiting), in: store)
        let now = EventDraft.now()
        let first = Self.approvalRequest("\(run.id)/1.0/approval", run: run.id, requestedAt: now - 2_000, deadline: now + 60_000)
        let stored = try await store.requestApproval(first)
        try Expect.equal(stored, ApprovalRecord(request: first), "the record requestApproval returns")
        var again = first
        again.action = "something else"
        try Expect.equal(try await store.requestApproval(again), stored, "asking again with the same id returns the first request")
        try Expect.equal(try await store.approval(first.id), stored, "approval(id) reads the request back")
        try Expect.equal(try await store.approval("\(run.id)/9.9/approval"), nil, "an unknown id reads nil")

        let second = Self.approvalRequest("\(run.id)/2.0/approval", run: run.id, requestedAt: now - 1_000, role: "ops")
        _ = try await store.requestApproval(second)
        try Expect.equal(try await store.approvals(status: nil, limit: 10).map(\.request.id), [second.id, first.id], "every request, newest first")
        try Expect.equal(try await store.approvals(status: .pending, limit: 1).map(\.request.id), [second.id], "the limit")
        try Expect.equal(try await store.approvals(status: .approved, limit: 10), [], "no approved request yet")

        let events = try await Self.allEvents(store, run.id)
        try Expect.equal(events.map(\.type), [.runStarted, .approvalRequested, .approvalRequested], "one event per request")
        try Expect.equal(events[1].data["id"], .string(first.id), "the request event names the request")
        try Expect.equal(events[1].data["role"], "finance", "the request event names the role")
        try Expect.sameJSON(events[1].data["arguments"], first.arguments, "the request event holds the arguments")
        try Expect.intact(events, "after requests")
        try await Expect.storeError("requesting for an unknown run", matching: { $0 == .runNotFound("nope") }) {
            try await store.requestApproval(Self.approvalRequest("nope/1.0/approval", run: "nope", requestedAt: now))
        }
    }

    /// A decision is kept once, with its event; deciding again or an unknown request is refused,
    /// and the record is left as it was.
    public func approvalsDecidedOnceWithTheirEvents(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(status: .waiting), in: store)
        let now = EventDraft.now()
        let request = Self.approvalRequest("\(run.id)/1.0/approval", run: run.id, requestedAt: now, deadline: now + 60_000)
        _ = try await store.requestApproval(request)
        let decision = ApprovalDecision(approved: true, by: "dana", comment: "ok, but less", arguments: ["amount": 200, "customer": "c-17"], decidedAt: now + 10)
        let decided = try await store.decideApproval(request.id, decision)
        try Expect.equal(decided.status, .approved, "status after an approval")
        try Expect.equal(decided.decision, decision, "the decision kept")
        try Expect.sameJSON(decided.arguments, ["amount": 200, "customer": "c-17"], "the arguments an edited approval runs with")
        try Expect.equal(try await store.approval(request.id), decided, "the decided record reads back")
        try Expect.equal(try await store.approvals(status: .approved, limit: 10), [decided], "listed as approved")
        try Expect.equal(try await store.approvals(status: .pending, limit: 10), [], "no longer pending")

        try await Expect.approvalError("deciding twice", matching: { $0 == .alreadyDecided(request.id, status: .approved, by: "dana") }) {
            try await store.decideApproval(request.id, ApprovalDecision(approved: false, by: "lee", decidedAt: now + 20))
        }
        try await Expect.approvalError("deciding an unknown request", matching: { $0 == .unknown("\(run.id)/7.0/approval") }) {
            try await store.decideApproval("\(run.id)/7.0/approval", decision)
        }
        try Expect.equal(try await store.approval(request.id), decided, "a refused decision changes nothing")

        let rejected = Self.approvalRequest("\(run.id)/2.0/approval", run: run.id, requestedAt: now + 30)
        _ = try await store.requestApproval(rejected)
        let no = try await store.decideApproval(rejected.id, ApprovalDecision(approved: false, by: "lee", comment: "duplicate", decidedAt: now + 40))
        try Expect.equal(no.status, .rejected, "status after a rejection")

        let events = try await Self.allEvents(store, run.id)
        try Expect.equal(
            events.map(\.type), [.runStarted, .approvalRequested, .approvalDecided, .approvalRequested, .approvalDecided], "one event per request and decision"
        )
        try Expect.equal(events[2].data["by"], "dana", "the decision event names who decided")
        try Expect.equal(events[2].data["approved"], true, "the decision event says what was decided")
        try Expect.equal(events[2].data["id"], .string(request.id), "the decision event names the request")
        try Expect.equal(events[2].time, now + 10, "the decision event's time is the decision's")
        try Expect.intact(events, "after decisions")
    }

    /// Before the deadline only a person decides; at or after it, only the timeout does (and its
    /// event is `approval.expired`).
    public func approvalDeadlinesDecideWhoMayDecide(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(status: .waiting), in: store)
        let now = EventDraft.now()
        let request = Self.approvalRequest("\(run.id)/1.0/approval", run: run.id, requestedAt: now - 10_000, deadline: now - 1)
        _ = try await store.requestApproval(request)
        try await Expect.approvalError("a person deciding after the deadline", matching: { $0 == .expired(request.id, deadline: now - 1, outcome: .reject) }) {
            try await store.decideApproval(request.id, ApprovalDecision(approved: true, by: "dana", decidedAt: now))
        }
        let open = Self.approvalRequest("\(run.id)/2.0/approval", run: run.id, requestedAt: now, deadline: now + 60_000)
        _ = try await store.requestApproval(open)
        try await Expect.approvalError("a timeout before the deadline", matching: { if case .expired = $0 { true } else { false } }) {
            try await store.decideApproval(open.id, .timeout(of: open, at: now))
        }
        let expired = try await store.decideApproval(request.id, .timeout(of: request, at: now))
        try Expect.equal(expired.status, .expired, "status after the timeout decided")
        try Expect.equal(expired.decision?.approved, false, "a timeout rejects by default")
        try Expect.equal(expired.decision?.by, nil, "no one decided an expired request")
        try Expect.equal(try await store.approval(open.id)?.status, .pending, "the open request is still pending")
        let events = try await Self.allEvents(store, run.id)
        try Expect.equal(events.map(\.type).last, .approvalExpired, "the timeout's event")
        try Expect.intact(events, "after a timeout")
    }
}
