import BatonCore
import Testing

@Suite struct TimeTravelTests {
    func pipeline() throws -> Workflow {
        var flow = WorkflowBuilder("pipeline")
        flow.state("log", .append, initial: [])
        flow.function("a") { _ in ["log": "a"] }
        flow.function("b") { ctx in ["log": .string("b(\(ctx.state["mode"]?.stringValue ?? "none"))")] }
        flow.function("c") { _ in ["log": "c"] }
        flow.edge("a", "b")
        flow.edge("b", "c")
        return try flow.build()
    }

    @Test func forkReplaysFromACheckpointWithEditedState() async throws {
        let engine = Engine(store: InMemoryStore())
        let original = try await engine.run(try pipeline(), input: ["mode": "fast"])
        #expect(original.output?["log"] == ["a", "b(fast)", "c"])
        let checkpoints = try await engine.store.checkpoints(run: original.id)
        #expect(checkpoints.map(\.superstep) == [0, 1, 2, 3])

        let forkID = try await engine.fork(original.id, at: 1, edits: ["mode": "careful"])
        let forked = try await engine.resume(forkID)
        #expect(forked.status == .succeeded)
        #expect(forked.output?["log"] == ["a", "b(careful)", "c"])
        let record = try await engine.store.run(forkID)
        #expect(record?.parent == RunParent(run: original.id, relation: .fork, at: "1"))
        let events = try await engine.store.events(run: forkID, after: 0, limit: 100)
        #expect(events.first?.type == .runForked)
        #expect(EventChain.verify(events) == .intact(events: events.count, authentication: .none))
    }

    @Test func forkAtAnUnknownCheckpointIsRefused() async throws {
        let engine = Engine(store: InMemoryStore())
        let original = try await engine.run(try pipeline())
        await #expect(throws: EngineError.self) { try await engine.fork(original.id, at: 99) }
    }

    @Test func subWorkflowRunsAsAChildRunAndReturnsItsOutput() async throws {
        var child = WorkflowBuilder("double")
        child.function("double") { ctx in ["value": .int((ctx.state["value"]?.intValue ?? 0) * 2)] }
        var parent = WorkflowBuilder("parent")
        parent.state("doubled", .append, initial: [])
        parent.node("each", .map(MapSpec(over: try StatePath("values"), node: "call", into: "doubled")))
        parent.node("call", .workflow(SubworkflowCall(workflow: "double", input: ["value": .copy(try StatePath("item"))])))
        let engine = Engine(store: InMemoryStore())
        engine.register(try child.build())
        let result = try await engine.run(try parent.build(), input: ["values": [1, 2, 3]])
        #expect(result.status == .succeeded)
        #expect(result.output?["doubled"] == [["value": 2], ["value": 4], ["value": 6]])
        let children = try await engine.store.runs(RunQuery(workflow: "double"))
        #expect(children.count == 3)
        #expect(children.allSatisfy { $0.parent?.run == result.id && $0.parent?.relation == .child })
    }

    @Test func aSignalForAWaitingChildReachesItThroughTheParent() async throws {
        var child = WorkflowBuilder("ask")
        child.node("hold", .wait(WaitSpec(signal: "answer")), into: "answer")
        var parent = WorkflowBuilder("outer")
        parent.node("call", .workflow(SubworkflowCall(workflow: "ask")), into: "result")
        let engine = Engine(store: InMemoryStore())
        engine.register(try child.build())
        let parked = try await engine.run(try parent.build())
        #expect(parked.status == .waiting)
        let result = try await engine.signal(parked.id, name: "answer", payload: 42)
        #expect(result.status == .succeeded)
        #expect(result.output?["result"] == ["answer": 42])
    }
}
