import BatonCore
import Testing

@Suite struct GraphFlowTests {
    @Test func mapFansOutAndJoinsInElementOrder() async throws {
        var flow = WorkflowBuilder("fanout")
        flow.state("results", .append, initial: [])
        flow.function("seed") { _ in ["numbers": .array((0..<50).map { .int($0) })] }
        flow.node("each", .map(MapSpec(over: try StatePath("numbers"), node: "square", into: "results")))
        flow.function("square") { ctx in
            let value = ctx.item?.intValue ?? 0
            try await Task.sleep(for: .microseconds((50 - value) * 20))
            return .int(value * value)
        }
        flow.function("total") { ctx in ["total": .int(ctx.state["results"]?.arrayValue?.compactMap(\.intValue).reduce(0, +) ?? -1)] }
        flow.edge("seed", "each")
        flow.edge("each", "total")
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.status == .succeeded)
        #expect(result.output?["results"] == .array((0..<50).map { .int($0 * $0) }))
        #expect(result.output?["total"] == .int((0..<50).map { $0 * $0 }.reduce(0, +)))
    }

    @Test func mapOverAnEmptyListGoesStraightOn() async throws {
        var flow = WorkflowBuilder("empty")
        flow.node("each", .map(MapSpec(over: try StatePath("items"), node: "body", into: "out")))
        flow.function("body") { _ in 1 }
        flow.function("after") { _ in ["after": true] }
        flow.edge("each", "after")
        let result = try await Engine(store: InMemoryStore()).run(try flow.build(), input: ["items": []])
        #expect(result.output?["after"] == true)
    }

    @Test func mapOverSomethingThatIsNotAListFailsClearly() async throws {
        var flow = WorkflowBuilder("bad-map")
        flow.node("each", .map(MapSpec(over: try StatePath("items"), node: "body", into: "out")))
        flow.function("body") { _ in 1 }
        let result = try await Engine(store: InMemoryStore()).run(try flow.build(), input: ["items": "oops"])
        #expect(result.status == .failed)
        #expect(result.reason?.contains("not a list") == true)
    }

    @Test func joinWaitsForEverySource() async throws {
        var flow = WorkflowBuilder("join")
        flow.state("log", .append, initial: [])
        flow.function("start") { _ in nil }
        flow.function("a1") { _ in ["log": "a1"] }
        flow.function("a2") { _ in ["log": "a2"] }
        flow.function("b") { _ in ["log": "b"] }
        flow.function("done") { _ in ["log": "done"] }
        flow.edge("start", parallel: ["a1", "b"])
        flow.edge("a1", "a2")
        flow.join(["a2", "b"], "done")
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.output?["log"] == ["a1", "b", "a2", "done"])
    }

    @Test func branchPicksTheFirstMatchingCase() async throws {
        var flow = WorkflowBuilder("branch")
        flow.node("route", .branch(Branch(cases: [
            (.predicate(name: "big") { ($0["state"]?["n"]?.intValue ?? 0) > 10 }, ["big"]),
            (.predicate(name: "positive") { ($0["state"]?["n"]?.intValue ?? 0) > 0 }, ["small"]),
        ], otherwise: ["none"])))
        flow.function("big") { _ in ["kind": "big"] }
        flow.function("small") { _ in ["kind": "small"] }
        flow.function("none") { _ in ["kind": "none"] }
        let workflow = try flow.build()
        let engine = Engine(store: InMemoryStore())
        #expect(try await engine.run(workflow, input: ["n": 50]).output?["kind"] == "big")
        #expect(try await engine.run(workflow, input: ["n": 5]).output?["kind"] == "small")
        #expect(try await engine.run(workflow, input: ["n": -1]).output?["kind"] == "none")
    }

    @Test func aGuardedLoopRunsUntilItsConditionFails() async throws {
        var flow = WorkflowBuilder("loop")
        flow.state("n", .sum, initial: 0)
        flow.function("inc") { _ in ["n": 1] }
        flow.edge("inc", "inc", when: .predicate(name: "n<5") { ($0["state"]?["n"]?.intValue ?? 0) < 5 })
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.status == .succeeded)
        #expect(result.output?["n"] == 5)
    }

    @Test func maxVisitsEndsARunawayLoopAsLimitExceeded() async throws {
        var flow = WorkflowBuilder("runaway")
        flow.state("n", .sum, initial: 0)
        flow.function("inc", maxVisits: 3) { _ in ["n": 1] }
        flow.edge("inc", "inc", when: .predicate(name: "always") { _ in true })
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.status == .limitExceeded)
        #expect(result.output?["n"] == 3)
        #expect(result.reason?.contains("max_visits is 3") == true)
    }

    @Test func theStepLimitStopsEveryLoop() async throws {
        var flow = WorkflowBuilder("steps")
        flow.limits = RunLimits(maxSteps: 7)
        flow.state("n", .sum, initial: 0)
        flow.function("a", maxVisits: 100) { _ in ["n": 1] }
        flow.function("b", maxVisits: 100) { _ in ["n": 1] }
        flow.edge("a", "b")
        flow.edge("b", "a", when: .predicate(name: "always") { _ in true })
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.status == .limitExceeded)
        #expect(result.output?["n"] == 7)
        #expect(result.reason?.contains("step limit of 7") == true)
    }

    @Test func aThrowingNodeFailsTheRunWithItsMessage() async throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "the disk is full" } }
        var flow = WorkflowBuilder("throws")
        flow.function("x") { _ in throw Broken() }
        let engine = Engine(store: InMemoryStore())
        let result = try await engine.run(try flow.build())
        #expect(result.status == .failed)
        #expect(result.reason == "node 'x' failed: the disk is full")
        let events = try await engine.store.events(run: result.id, after: 0, limit: 100)
        #expect(events.last?.type == .runFailed)
    }

    @Test func outputThatIsNotAnObjectNeedsInto() async throws {
        var flow = WorkflowBuilder("scalar")
        flow.function("x") { _ in 42 }
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.status == .failed)
        #expect(result.reason?.contains("into") == true)

        var fixed = WorkflowBuilder("scalar-into")
        fixed.function("x", into: "answer") { _ in 42 }
        #expect(try await Engine(store: InMemoryStore()).run(try fixed.build()).output?["answer"] == 42)
    }

    @Test func setNodeAssignsLiteralsCopiesAndTemplates() async throws {
        var flow = WorkflowBuilder("set")
        flow.node("s", .set([
            Assignment(try StatePath("greeting"), .template(try Template("Hello {{name}}!"))),
            Assignment(try StatePath("copy"), .copy(try StatePath("input.name"))),
            Assignment(try StatePath("profile.active"), .literal(true)),
        ]))
        let result = try await Engine(store: InMemoryStore()).run(try flow.build(), input: ["name": "Ada"])
        #expect(result.output?["greeting"] == "Hello Ada!")
        #expect(result.output?["copy"] == "Ada")
        #expect(result.output?["profile"] == ["active": true])
    }

    @Test func runInputMustBeAnObject() async throws {
        var flow = WorkflowBuilder("input")
        flow.function("x") { _ in nil }
        await #expect(throws: EngineError.self) { try await Engine(store: InMemoryStore()).run(try flow.build(), input: [1, 2]) }
    }

    @Test func workflowOutputSelectsWhatTheRunReturns() async throws {
        var flow = WorkflowBuilder("output")
        flow.function("x") { _ in ["a": 1, "b": 2] }
        flow.output = ["sum_of_a": .copy(try StatePath("a"))]
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.output == ["sum_of_a": 1])
    }

    @Test func toolAndAgentNodesNeedAProvider() async throws {
        var flow = WorkflowBuilder("seams")
        flow.node("lookup", .tool(ToolCall(tool: "search")))
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        #expect(result.status == .failed)
        #expect(result.reason?.contains("no tool provider") == true)
    }

    @Test func toolNodeCallsTheConfiguredInvokerWithResolvedArguments() async throws {
        struct Echo: ToolInvoker {
            func callTool(_ tool: String, arguments: JSON, context: StepContext) async throws -> JSON { ["tool": .string(tool), "args": arguments] }
            func hasTool(_ tool: String) -> Bool { true }
            var toolNames: [String] { ["search"] }
        }
        var flow = WorkflowBuilder("tool")
        flow.node("lookup", .tool(ToolCall(tool: "search", arguments: ["q": .template(try Template("about {{topic}}"))])), into: "found")
        let result = try await Engine(store: InMemoryStore(), tools: Echo()).run(try flow.build(), input: ["topic": "otters"])
        #expect(result.output?["found"] == ["tool": "search", "args": ["q": "about otters"]])
    }
}
