import BatonCore

/// Who may drive a run: one live owner at a time.
extension StoreConformance {
    /// Acquire, refuse another owner while held, renew by the same owner, release, then another acquires.
    public func leaseAcquireRefuseRenewRelease(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(), in: store)
        let a = Self.owner("a")
        let b = Self.owner("b")

        let before = EventDraft.now()
        let leased = try await store.acquireLease(run: run.id, owner: a, duration: .seconds(30))
        try Expect.equal(leased.leaseOwner, a, "the lease owner returned by acquireLease")
        let expiry = leased.leaseExpiresAt ?? 0
        try Expect.that(expiry >= before + 29_000 && expiry <= EventDraft.now() + 30_000, "lease expiry \(expiry) should be about 30 s from now")
        var expected = run
        expected.leaseOwner = a
        expected.leaseExpiresAt = leased.leaseExpiresAt
        try Expect.equal(leased, expected, "the record acquireLease returns (the run, with its lease)")
        try Expect.equal(try await store.run(run.id), expected, "the run after acquireLease")

        try await Expect.storeError("acquireLease by another owner while the lease is live", matching: {
            if case .leaseHeld(run.id, _) = $0 { return true } else { return false }
        }) {
            try await store.acquireLease(run: run.id, owner: b, duration: .seconds(30))
        }
        try Expect.equal(try await store.run(run.id)?.leaseOwner, a, "the owner after a refused acquireLease")

        let renewed = try await store.acquireLease(run: run.id, owner: a, duration: .seconds(60))
        try Expect.equal(renewed.leaseOwner, a, "the owner after renewing")
        try Expect.that((renewed.leaseExpiresAt ?? 0) >= expiry + 25_000, "renewing for 60 s should move the expiry on")

        try await store.releaseLease(run: run.id, owner: b)
        try Expect.equal(try await store.run(run.id)?.leaseOwner, a, "releaseLease by a non-owner must change nothing")

        try await store.releaseLease(run: run.id, owner: a)
        let released = try await store.run(run.id)
        try Expect.equal(released?.leaseOwner, nil, "the owner after releaseLease")
        try Expect.equal(released?.leaseExpiresAt, nil, "the expiry after releaseLease")

        let taken = try await store.acquireLease(run: run.id, owner: b, duration: .seconds(30))
        try Expect.equal(taken.leaseOwner, b, "the owner after another owner acquires a released lease")
        try Expect.equal(try await Self.allEvents(store, run.id).count, 1, "leases write no events")
    }

    /// An expired lease, or one held by a process on this host that is gone, can be taken over at
    /// once; an unexpired lease of another machine cannot.
    public func leaseTakeoverAfterExpiryOrDeadProcess(_ store: any Store) async throws {
        let b = Self.owner("b")

        let expiring = try await Self.create(Self.makeRun(), in: store)
        _ = try await store.acquireLease(run: expiring.id, owner: Self.owner("a"), duration: .milliseconds(20))
        try await Task.sleep(for: .milliseconds(60))
        let afterExpiry = try await store.acquireLease(run: expiring.id, owner: b, duration: .seconds(30))
        try Expect.equal(afterExpiry.leaseOwner, b, "the owner after taking over an expired lease")

        let orphaned = try await Self.create(Self.makeRun(), in: store)
        _ = try await store.acquireLease(run: orphaned.id, owner: Self.deadOwner(), duration: .seconds(300))
        let afterDeath = try await store.acquireLease(run: orphaned.id, owner: b, duration: .seconds(30))
        try Expect.equal(afterDeath.leaseOwner, b, "the owner after taking over the lease of a dead process on this host")

        let remote = try await Self.create(Self.makeRun(), in: store)
        let elsewhere = Self.remoteOwner()
        _ = try await store.acquireLease(run: remote.id, owner: elsewhere, duration: .seconds(300))
        try await Expect.storeError("acquireLease while another machine's lease is live", matching: {
            if case .leaseHeld(remote.id, _) = $0 { return true } else { return false }
        }) {
            try await store.acquireLease(run: remote.id, owner: b, duration: .seconds(30))
        }
        try Expect.equal(try await store.run(remote.id)?.leaseOwner, elsewhere, "the remote owner after a refused takeover")
    }

    /// A commit from an owner that does not hold the lease is refused with `leaseLost` and leaves no trace.
    public func commitRefusedWithoutLease(_ store: any Store) async throws {
        let run = try await Self.create(Self.makeRun(), in: store)
        let a = Self.owner("a")
        let b = Self.owner("b")
        func attempt(_ owner: LeaseOwner) -> StepCommit {
            StepCommit(
                run: run.id, owner: owner, superstep: 0, result: Self.result("0.0", node: "a", output: "x"),
                events: [EventDraft(.stepSucceeded, ["node": "a"])],
                advance: RunAdvance(checkpoint: Checkpoint(superstep: 1, state: ["count": 9], frontier: []), status: .succeeded, output: "done")
            )
        }
        let lost: (StoreError) -> Bool = { $0 == .leaseLost(run.id) }
        try await Expect.storeError("commit with no lease taken", matching: lost) { try await store.commit(attempt(a)) }

        _ = try await store.acquireLease(run: run.id, owner: a, duration: .seconds(30))
        try await Expect.storeError("commit by an owner other than the lease holder", matching: lost) { try await store.commit(attempt(b)) }

        try await store.releaseLease(run: run.id, owner: a)
        try await Expect.storeError("commit after releasing the lease", matching: lost) { try await store.commit(attempt(a)) }

        try Expect.equal(try await Self.allEvents(store, run.id).count, 1, "events after refused commits")
        try Expect.equal(try await store.stepResults(run: run.id, superstep: 0), [], "step results after refused commits")
        try Expect.equal(try await store.checkpoints(run: run.id).count, 1, "checkpoints after refused commits")
        let after = try await store.run(run.id)
        try Expect.equal(after?.status, .pending, "status after refused commits")
        try Expect.equal(after?.checkpoint, run.checkpoint, "checkpoint after refused commits")
        try Expect.equal(after?.lastSeq, 1, "lastSeq after refused commits")
    }
}
