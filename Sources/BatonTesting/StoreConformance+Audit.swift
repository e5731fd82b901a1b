import BatonCore

/// The audit trail: a run's head and events read together, and, with an audit key, a MAC on
/// every event and every head, whoever writes them.
extension StoreConformance {
    /// The key of ``Case/auditKeyAuthenticatesEveryWriter``'s store.
    static let auditKey = try! AuditKey(secret: "conformance-audit-key-0123456789abcdef")

    /// `auditTrail(run:)` is the run record's head and every event; without a key nothing has a MAC.
    public func auditTrailIsTheHeadAndEveryEvent(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(), in: store)
        try await store.appendEvents(run: run.id, (1...3).map { EventDraft("audit.note", ["n": .int($0)]) })
        let trail = try await store.auditTrail(run: run.id)
        guard let record = try await store.run(run.id) else { throw ConformanceFailure("the run vanished") }
        try Expect.equal(trail.head, record.head, "the trail's head is the run record's")
        try Expect.equal(trail.head.seq, 4, "the head counts every event")
        try Expect.equal(trail.events, try await Self.allEvents(store, run.id), "the trail's events are the journal")
        try Expect.equal(trail.head.mac, nil, "a head written without a key has no MAC")
        try Expect.that(trail.events.allSatisfy { $0.mac == nil }, "events written without a key have no MAC")
        try Expect.equal(trail.verify(), .intact(events: 4, authentication: .none), "the verdict of an unkeyed trail")

        let empty = Self.makeRun()
        try await store.createRun(empty, events: [])
        let emptyTrail = try await store.auditTrail(run: empty.id)
        try Expect.equal(emptyTrail.head, ChainHead(run: empty.id, seq: 0, hash: EventChain.genesis, mac: nil), "the head of a run without events")
        try Expect.equal(emptyTrail.events, [], "the events of a run without events")

        let unknown = RunID.generate()
        try await Expect.storeError("auditTrail of an unknown run", matching: { $0 == .runNotFound(unknown) }) {
            try await store.auditTrail(run: unknown)
        }
    }

    /// A store made with a key MACs every event each writer appends and every head, so that the
    /// trail verifies with that key, is reported unchecked without it and broken with another.
    public func auditKeyAuthenticatesEveryWriter(_ store: any Store) async throws {
        let key = Self.auditKey
        let run = try await Self.create(Self.makeRun(status: .waiting), in: store)
        let a = Self.owner("a")
        _ = try await store.acquireLease(run: run.id, owner: a, duration: .seconds(30))
        _ = try await store.commit(StepCommit(run: run.id, owner: a, superstep: 0, events: [EventDraft(.stepStarted), EventDraft(.stepSucceeded)]))
        try await store.recordEffect(EffectRecord(run: run.id, step: "0.0", index: 0, name: "clock", value: 1, event: EventDraft(.effectRecorded)))
        try await store.appendEvents(run: run.id, [EventDraft("operator.note")])
        try await store.deliverSignal(run: run.id, name: "go", payload: .null)
        let now = EventDraft.now()
        let request = Self.approvalRequest("\(run.id)/1.0/approval", run: run.id, requestedAt: now)
        _ = try await store.requestApproval(request)
        _ = try await store.decideApproval(request.id, ApprovalDecision(approved: true, by: "dana", decidedAt: now + 1))
        _ = try await store.commit(StepCommit(run: run.id, owner: a, superstep: 0, events: [], advance: RunAdvance(status: .running)))
        _ = try await store.requestCancel(run: run.id, reason: "enough")

        let trail = try await store.auditTrail(run: run.id)
        try Expect.equal(trail.events.count, 9, "events of every writer")
        for event in trail.events {
            try Expect.equal(event.mac, key.mac(event: event.hash), "the MAC of event \(event.seq) (\(event.type))")
        }
        try Expect.equal(trail.head.mac, key.mac(head: run.id, seq: 9, hash: trail.events[8].hash), "the head's MAC")
        try Expect.equal(try await store.run(run.id)?.headMAC, trail.head.mac, "the run record's head MAC")
        try Expect.equal(trail.verify(keys: [key]), .intact(events: 9, authentication: .verified(from: 1, key: 0)), "verified with the key")
        try Expect.equal(trail.verify(), .intact(events: 9, authentication: .unchecked(from: 1)), "without a key")
        let other = try AuditKey(secret: "another-key-that-wrote-nothing-here")
        try Expect.equal(trail.verify(keys: [other]), .broken(seq: 1, problem: .macMismatch), "with another key")
        try Expect.equal(trail.verify(keys: [other, key]), .intact(events: 9, authentication: .verified(from: 1, key: 1)), "with the key retired")

        let empty = Self.makeRun()
        try await store.createRun(empty, events: [])
        let emptyHead = try await store.auditTrail(run: empty.id).head
        try Expect.equal(emptyHead.mac, key.mac(head: empty.id, seq: 0, hash: EventChain.genesis), "the head of a keyed run without events")
    }
}
