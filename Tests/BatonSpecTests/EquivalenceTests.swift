import BatonCore
import BatonSpec
import Testing

/// The same workflow written in YAML and with ``WorkflowBuilder`` compiles to the same graph and
/// runs to the same result.
@Suite struct EquivalenceTests {
    static let yaml = """
        baton: 1
        name: equivalent
        version: "3"
        input: { type: object, required: [topic] }
        state:
          log: { reducer: append, initial: [] }
          total: { reducer: sum, initial: 0 }
          results: { reducer: append, initial: [] }
          best: maximum
        limits: { max_steps: 50, max_map_items: 10 }
        nodes:
          start:
            set:
              title: "About {{topic}}"
              items: { literal: [1, 2, 3] }
              copied: { copy: input.topic }
              doubled: { expr: "len(state.topic) * 2" }
          left:
            function: left
            retry: { max_attempts: 2, backoff: 10ms }
            timeout: 5s
          right:
            function: right
            into: right_out
            success: "output.ok == true"
          fan:
            map: { over: state.items, node: square, into: results, max_concurrency: 2 }
          square:
            function: square
            max_visits: 1
          decide:
            branch:
              - when: "state.total > 100"
                to: big
              - otherwise: small
          big: { set: { size: big } }
          small: { set: { size: small } }
        edges:
          - start -> left, right
          - left, right -> fan
          - { from: fan, to: decide, when: "len(state.results) == 3" }
        output:
          title: { copy: state.title }
          copied: { copy: state.copied }
          doubled: { copy: state.doubled }
          total: { copy: state.total }
          results: { copy: state.results }
          size: { copy: state.size }
          right: { copy: state.right_out }
          best: { copy: state.best }
          log: { copy: state.log }
        """

    static let left: FunctionRegistry.Function = { _ in ["log": "left", "total": 10, "best": 5] }
    static let right: FunctionRegistry.Function = { _ in ["ok": true] }
    static let square: FunctionRegistry.Function = { context in
        let value = context.item?.intValue ?? 0
        return .int(value * value)
    }
    static let maximum = CustomReducer(name: "maximum") { current, update in
        guard let current, let a = current.doubleValue, let b = update.doubleValue else { return update }
        return a >= b ? current : update
    }

    static var functions: FunctionRegistry {
        var registry = FunctionRegistry()
        registry.register("left", left)
        registry.register("right", right)
        registry.register("square", square)
        registry.register(reducer: maximum)
        return registry
    }

    static func built() throws -> Workflow {
        var flow = WorkflowBuilder("equivalent", version: "3")
        flow.inputSchema = try JSONSchema(["type": "object", "required": ["topic"]])
        flow.state("log", .append, initial: [])
        flow.state("total", .sum, initial: 0)
        flow.state("results", .append, initial: [])
        flow.state("best", .custom(maximum))
        flow.limits = RunLimits(maxSteps: 50, maxMapItems: 10)
        flow.node("start", .set([
            Assignment(try StatePath("title"), .template(try Template("About {{topic}}"))),
            Assignment(try StatePath("items"), .literal([1, 2, 3])),
            Assignment(try StatePath("copied"), .copy(try StatePath("input.topic"))),
            Assignment(try StatePath("doubled"), .expression(try Expression("len(state.topic) * 2"))),
        ]))
        flow.function("left", policy: ExecutionPolicy(retry: RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(10)), timeout: .seconds(5)), left)
        flow.function("right", policy: ExecutionPolicy(success: .condition(try .when("output.ok == true"))), into: "right_out", right)
        flow.node("fan", .map(MapSpec(over: try StatePath("state.items"), node: "square", into: "results", maxConcurrency: 2)))
        flow.function("square", maxVisits: 1, square)
        flow.node("decide", .branch(Branch(cases: [(try .when("state.total > 100"), ["big"])], otherwise: ["small"])))
        flow.node("big", .set([Assignment(try StatePath("size"), .template(try Template("big")))]))
        flow.node("small", .set([Assignment(try StatePath("size"), .template(try Template("small")))]))
        flow.edge("start", parallel: ["left", "right"])
        flow.join(["left", "right"], "fan")
        flow.edge("fan", "decide", when: try .when("len(state.results) == 3"))
        flow.output = [
            "title": .copy(try StatePath("state.title")), "copied": .copy(try StatePath("state.copied")),
            "doubled": .copy(try StatePath("state.doubled")), "total": .copy(try StatePath("state.total")),
            "results": .copy(try StatePath("state.results")), "size": .copy(try StatePath("state.size")),
            "right": .copy(try StatePath("state.right_out")), "best": .copy(try StatePath("state.best")),
            "log": .copy(try StatePath("state.log")),
        ]
        return try flow.build()
    }

    static func withoutSource(_ structure: JSON) -> JSON {
        guard case var .object(members) = structure else { return structure }
        members["source"] = nil
        return .object(members)
    }

    @Test func sameStructure() throws {
        let loaded = try WorkflowLoader(functions: Self.functions).load(yaml: Self.yaml)
        let built = try Self.built()
        #expect(Self.withoutSource(loaded.workflow.structure) == built.structure)
        #expect(loaded.workflow.structure["source"] == .string(Hash.sha256Hex(Array(Self.yaml.utf8))))
        #expect(built.structure["source"] == nil)
    }

    @Test func sameRun() async throws {
        let loaded = try WorkflowLoader(functions: Self.functions).load(yaml: Self.yaml)
        let input: JSON = ["topic": "otters"]
        let fromYAML = try await Engine(store: InMemoryStore()).run(loaded, input: input)
        let fromSwift = try await Engine(store: InMemoryStore()).run(try Self.built(), input: input)
        #expect(fromYAML.status == .succeeded)
        #expect(fromYAML.status == fromSwift.status)
        #expect(fromYAML.output == fromSwift.output)
        #expect(fromYAML.output == [
            "title": "About otters", "copied": "otters", "doubled": 12, "total": 10, "results": [1, 4, 9], "size": "small",
            "right": ["ok": true], "best": 5, "log": ["left"],
        ])
    }
}
