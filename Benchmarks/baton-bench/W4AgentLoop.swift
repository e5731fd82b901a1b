import BatonCore
import BatonTesting
import Synchronization

/// w4_agent_loop: what the agent loop adds around model and tool calls. An agent on the scripted
/// model with three typed tools calls each once, then answers; 10 warm-up conversations, 200
/// timed, each checked (8 messages in the last request, the three tool outputs, the answer). The
/// figures split the time outside the scripted model's and the tools' bodies by the call each gap
/// leads to (the tail after the last answer counts with the model calls). Targets: ≤ 20 µs per
/// model call and per tool call, schema validation and journaling included.
struct W4AgentLoop: Workload {
    let name = "w4_agent_loop"
    let summary = "agent with 3 typed tools on the scripted model, 200 conversations: overhead µs per model call and per tool call (targets ≤ 20)"
    static let targetMicroseconds = 20.0

    struct AddInput: Codable, Sendable { let a: Int; let b: Int }
    struct AddOutput: Codable, Sendable { let sum: Int }
    struct CityInput: Codable, Sendable { let city: String; let country_code: String }
    struct ScaleInput: Codable, Sendable { let values: [Double]; let factor: Double }
    struct ScaleOutput: Codable, Sendable { let values: [Double] }

    /// Start and end of every scripted body, in order, and what the last request carried.
    final class Timeline: Sendable {
        private let marks = Mutex<[ContinuousClock.Instant]>([])
        private let finalRequest = Mutex<[ChatMessage]>([])
        func mark(_ instant: ContinuousClock.Instant) { marks.withLock { $0.append(instant) } }
        func take() -> [ContinuousClock.Instant] { marks.withLock { marks in defer { marks = [] }; return marks } }
        func keep(_ messages: [ChatMessage]) { finalRequest.withLock { $0 = messages } }
        var lastRequest: [ChatMessage] { finalRequest.withLock { $0 } }
    }

    /// The scripted model, with its bodies' times marked.
    struct TimedModel: ModelProvider {
        let inner: ScriptedModel
        let timeline: Timeline
        var name: String { inner.name }
        func complete(_ request: ModelRequest) async throws -> ModelResponse {
            timeline.mark(.now)
            let response = try await inner.complete(request)
            if response.toolCalls.isEmpty { timeline.keep(request.messages) }
            timeline.mark(.now)
            return response
        }
    }

    static func tools(_ timeline: Timeline) throws -> ToolBox {
        try ToolBox([
            TypedTool("add", description: "Adds two integers.", effect: .pure) { (input: AddInput, _) in
                timeline.mark(.now)
                defer { timeline.mark(.now) }
                return AddOutput(sum: input.a + input.b)
            },
            TypedTool("lookup_city", description: "The population of a city.", effect: .readOnly) { (input: CityInput, _) in
                timeline.mark(.now)
                defer { timeline.mark(.now) }
                return "\(input.city) (\(input.country_code)): population 2.1M"
            },
            TypedTool("scale", description: "Multiplies values by a factor.", effect: .pure) { (input: ScaleInput, _) in
                timeline.mark(.now)
                defer { timeline.mark(.now) }
                return ScaleOutput(values: input.values.map { $0 * input.factor })
            },
        ])
    }

    static let script = ScriptedModel(turns: [
        .call(("add", ["a": 2, "b": 3])),
        .call(("lookup_city", ["city": "Paris", "country_code": "FR"])),
        .call(("scale", ["values": [1.0, 2.5, 4.0], "factor": 2.0])),
        .answer("5; Paris (FR): population 2.1M; [2, 5, 8]"),
    ])

    func run(_ context: BenchContext) async throws -> Measurement {
        let conversations = context.count(200, quick: 20)
        let timeline = Timeline()
        let tools = try Self.tools(timeline)
        let runtime = AgentRuntime(models: FixedModelResolver(["scripted": TimedModel(inner: Self.script, timeline: timeline)]), tools: tools)
        try runtime.register(Agent(
            name: "calculator", role: "does small sums", instructions: try Template("Use the tools, then answer."),
            model: .model(try ModelReference(parsing: "scripted:w4")), tools: ["add", "lookup_city", "scale"]
        ))
        var flow = WorkflowBuilder("w4_agent")
        flow.node("ask", .agent(AgentCall(agent: "calculator", input: ["request": .literal("compute")])), into: "answer")
        let workflow = try flow.build()
        let engine = Engine(store: InMemoryStore(), tools: tools, agents: runtime)

        for _ in 0..<10 { _ = try await conversation(engine, workflow, timeline) }
        var modelGaps = Duration.zero
        var toolGaps = Duration.zero
        let whole = try await Meter.measure(ops: conversations, unit: "conversation") {
            for _ in 0..<conversations {
                let (model, tool) = try await conversation(engine, workflow, timeline)
                modelGaps += model
                toolGaps += tool
            }
        }
        let modelCalls = conversations * 4
        let toolCalls = conversations * 3
        let perModel = Figure(ops: modelCalls, unit: "model call", seconds: modelGaps.seconds, cpuSeconds: whole.cpuSeconds * modelGaps.seconds / max(whole.seconds, 1e-12))
        let perTool = Figure(ops: toolCalls, unit: "tool call", seconds: toolGaps.seconds, cpuSeconds: whole.cpuSeconds * toolGaps.seconds / max(whole.seconds, 1e-12))
        return Measurement(
            workload: name, primary: "model_call_overhead",
            figures: [("model_call_overhead", perModel), ("tool_call_overhead", perTool), ("conversation", whole)],
            params: [
                ("conversations", .int(conversations)), ("quick", .bool(context.quick)),
                ("target_us_per_call", .number(Self.targetMicroseconds, digits: 1)),
                ("model_call_target_met", .bool(perModel.microsecondsPerOp <= Self.targetMicroseconds)),
                ("tool_call_target_met", .bool(perTool.microsecondsPerOp <= Self.targetMicroseconds)),
                ("cpu_split", .string("the CPU time of the whole loop, shared out by wall time")),
            ],
            peakRSSKilobytes: Meter.peakRSSKilobytes()
        )
    }

    /// One checked conversation; returns the time outside the bodies that led to model calls (and
    /// the tail after the answer) and to tool calls.
    private func conversation(_ engine: Engine, _ workflow: Workflow, _ timeline: Timeline) async throws -> (model: Duration, tool: Duration) {
        let started = ContinuousClock.now
        let result = try await engine.run(workflow)
        let ended = ContinuousClock.now
        try expect(result.status == .succeeded, in: name, "the conversation ended \(result.status): \(result.reason ?? "")")
        try expect(result.output?["answer"] == "5; Paris (FR): population 2.1M; [2, 5, 8]", in: name, "the answer was \(String(describing: result.output))")
        let messages = timeline.lastRequest
        try expect(messages.count == 8, in: name, "the last request had \(messages.count) messages, not 8")
        let outputs = messages.filter { $0.role == .tool }.map(\.content)
        try expect(outputs == ["{\"sum\":5}", "Paris (FR): population 2.1M", "{\"values\":[2,5,8]}"], in: name, "the tools answered \(outputs)")
        // Marks: model, tool, model, tool, model, tool, model; each a start and an end.
        let marks = timeline.take()
        try expect(marks.count == 14, in: name, "\(marks.count / 2) bodies ran, not 7")
        var model = Duration.zero
        var tool = Duration.zero
        var previous = started
        for body in 0..<7 {
            let gap = marks[body * 2] - previous
            if body % 2 == 0 { model += gap } else { tool += gap }
            previous = marks[body * 2 + 1]
        }
        model += ended - previous
        return (model, tool)
    }
}
