import BatonCore
import Testing

@Suite struct InterruptTests {
    func approvalFlow() throws -> Workflow {
        var flow = WorkflowBuilder("approval")
        flow.function("draft") { _ in ["draft": "v1"] }
        flow.node("hold", .wait(WaitSpec(signal: "approve")), into: "decision")
        flow.function("publish") { ctx in ["published": ctx.state["decision"]?["ok"] ?? false] }
        flow.edge("draft", "hold")
        flow.edge("hold", "publish")
        return try flow.build()
    }

    @Test func aWaitParksTheRunUntilItsSignalArrives() async throws {
        let store = InMemoryStore()
        let engine = Engine(store: store)
        let parked = try await engine.run(try approvalFlow())
        #expect(parked.status == .waiting)
        #expect(parked.waitingFor == [WaitCondition(signal: "approve")])
        #expect(try await store.run(parked.id)?.status == .waiting)

        // A different engine (a later process) delivers the signal and finishes the run.
        let later = Engine(store: store)
        later.register(try approvalFlow())
        let finished = try await later.signal(parked.id, name: "approve", payload: ["ok": true, "by": "ada"])
        #expect(finished.status == .succeeded)
        #expect(finished.output?["published"] == true)
        #expect(finished.output?["decision"] == ["ok": true, "by": "ada"])
        #expect(try await store.signals(run: parked.id).isEmpty)
        let events = try await store.events(run: parked.id, after: 0, limit: 100)
        #expect(EventChain.verify(events) == .intact(events: events.count, authentication: .none))
        #expect(events.map(\.type).contains(.runWaiting))
        #expect(events.map(\.type).contains(.runResumed))
    }

    @Test func aSignalThatArrivesFirstIsKeptForTheWait() async throws {
        let store = InMemoryStore()
        let engine = Engine(store: store)
        let id = try await engine.start(try approvalFlow())
        try await store.deliverSignal(run: id, name: "approve", payload: ["ok": false])
        let result = try await engine.resume(id)
        #expect(result.status == .succeeded)
        #expect(result.output?["published"] == false)
    }

    @Test func aSignalNobodyWaitsForIsKeptWithoutResuming() async throws {
        let engine = Engine(store: InMemoryStore())
        let parked = try await engine.run(try approvalFlow())
        let result = try await engine.signal(parked.id, name: "something-else", payload: 1)
        #expect(result.status == .waiting)
    }

    @Test func aShortTimerSleepsInProcess() async throws {
        var flow = WorkflowBuilder("timer")
        flow.node("nap", .wait(WaitSpec(timeout: .milliseconds(30))))
        flow.function("after") { _ in ["woke": true] }
        flow.edge("nap", "after")
        let clock = ContinuousClock()
        let started = clock.now
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.status == .succeeded)
        #expect(result.output?["woke"] == true)
        #expect(clock.now - started >= .milliseconds(30))
    }

    @Test func aSignalWaitWithADeadlineGivesUpWithNull() async throws {
        var flow = WorkflowBuilder("deadline")
        flow.node("hold", .wait(WaitSpec(signal: "go", timeout: .milliseconds(20))), into: "answer")
        let engine = Engine(store: InMemoryStore())
        let parked = try await engine.run(try flow.build())
        #expect(parked.status == .waiting)
        #expect(parked.waitingFor.first?.signal == "go")
        #expect(parked.waitingFor.first?.deadline != nil)
        try await Task.sleep(for: .milliseconds(30))
        let result = try await engine.resume(parked.id)
        #expect(result.status == .succeeded)
        #expect(result.output?["answer"] == .null)
    }

    @Test func cancellingAParkedRunEndsItAtOnce() async throws {
        let engine = Engine(store: InMemoryStore())
        let parked = try await engine.run(try approvalFlow())
        let record = try await engine.cancel(parked.id, reason: "no longer needed")
        #expect(record.status == .cancelled)
        #expect(record.reason == "no longer needed")
        await #expect(throws: EngineError.self) { try await engine.signal(parked.id, name: "approve") }
    }

    @Test func cancellingARunningRunStopsItCooperatively() async throws {
        let engine = Engine(store: InMemoryStore())
        var flow = WorkflowBuilder("long")
        flow.function("sleep") { _ in
            try await Task.sleep(for: .seconds(30))
            return nil
        }
        let id = try await engine.start(try flow.build())
        let running = Task { try await engine.resume(id) }
        try await Task.sleep(for: .milliseconds(50))
        try await engine.cancel(id, reason: "operator")
        let result = try await running.value
        #expect(result.status == .cancelled)
        #expect(try await engine.store.run(id)?.status == .cancelled)
    }

    @Test func anInterruptedRunResumesWithoutRepeatingFinishedWork() async throws {
        let store = InMemoryStore()
        let firstCalls = Counter()
        let effects = Counter()
        let hang = Counter()
        func build() throws -> Workflow {
            var flow = WorkflowBuilder("resume")
            flow.state("log", .append, initial: [])
            flow.function("first") { _ in
                firstCalls.next()
                return ["log": "first"]
            }
            flow.function("second") { ctx in
                let _: Int = try await ctx.effect("pay") { _ in effects.next() }
                if hang.next() == 1 { try await Task.sleep(for: .seconds(30)) }
                return ["log": "second"]
            }
            flow.edge("first", "second")
            return try flow.build()
        }
        let engine = Engine(store: store)
        let id = try await engine.start(try build())
        let doomed = Task { try await engine.resume(id) }
        while try await store.effects(run: id, step: "1.0").isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        doomed.cancel()  // the process "dies" in the middle of `second`, after its effect was journaled
        _ = try? await doomed.value
        #expect(try await store.run(id)?.status == .running)

        let restarted = Engine(store: store)
        restarted.register(try build())
        let result = try await restarted.resume(id)
        #expect(result.status == .succeeded)
        #expect(result.output?["log"] == ["first", "second"])
        #expect(firstCalls.count == 1)
        #expect(effects.count == 1)
    }

    @Test func aRunHeldByAnotherLiveEngineCannotBeResumed() async throws {
        let store = InMemoryStore()
        var flow = WorkflowBuilder("held")
        flow.function("x") { _ in nil }
        let id = try await Engine(store: store).start(try flow.build())
        _ = try await store.acquireLease(run: id, owner: LeaseOwner.current(), duration: .seconds(60))
        let engine = Engine(store: store)
        engine.register(try flow.build())
        await #expect(throws: StoreError.self) { try await engine.resume(id) }
    }
}
