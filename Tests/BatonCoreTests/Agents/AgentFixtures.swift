import BatonCore
import BatonTesting
import Synchronization

/// Shared pieces of the agent tests: the three typed tools of the w4 benchmark, a model that
/// counts its calls, a workflow of one agent node, and event reading.
enum AgentFixtures {
    struct AddInput: Codable, Sendable { let a: Int; let b: Int }
    struct AddOutput: Codable, Sendable { let sum: Int }
    struct CityInput: Codable, Sendable { let city: String; let country_code: String }
    struct ScaleInput: Codable, Sendable { let values: [Double]; let factor: Double }
    struct ScaleOutput: Codable, Sendable { let values: [Double] }

    /// `add` (pure), `lookup_city` (read-only), `scale` (pure), and `send_email` (side-effecting),
    /// each counting its calls in `calls` under its name.
    static func toolbox(calls: CallLog = CallLog()) throws -> ToolBox {
        try ToolBox([
            TypedTool("add", description: "Adds two integers.", effect: .pure) { (input: AddInput, _) in
                calls.note("add")
                return AddOutput(sum: input.a + input.b)
            },
            TypedTool("lookup_city", description: "Population of a city.", effect: .readOnly) { (input: CityInput, _) in
                calls.note("lookup_city")
                return "\(input.city) (\(input.country_code)): population 2.1M"
            },
            TypedTool("scale", description: "Multiplies values by a factor.", effect: .pure) { (input: ScaleInput, _) in
                calls.note("scale")
                return ScaleOutput(values: input.values.map { $0 * input.factor })
            },
            ClosureTool(ToolContract(
                name: "send_email", description: "Sends an email.",
                inputSchema: ["type": "object", "properties": ["to": ["type": "string"]], "required": ["to"]], effect: .sideEffecting
            )) { arguments, context in
                calls.note("send_email")
                return ["sent_to": arguments["to"] ?? .null, "key": .string(context.idempotencyKey)]
            },
        ])
    }

    /// The w4 script: each tool once, then an answer.
    static let threeToolTurns: [ScriptedModel.Turn] = [
        .call(("add", ["a": 2, "b": 3])),
        .call(("lookup_city", ["city": "Paris", "country_code": "FR"])),
        .call(("scale", ["values": [1.0, 2.5, 4.0], "factor": 2.0])),
        .answer("Done: 5, Paris, [2, 5, 8]."),
    ]

    /// A workflow whose one node runs `agent` on `input` and writes its answer to `answer`.
    static func workflow(_ agent: String, input: JSON = ["request": "go"], policy: ExecutionPolicy = .default) throws -> Workflow {
        var flow = WorkflowBuilder("agent-\(agent)")
        let mapping = (input.objectValue ?? [:]).mapValues { ValueSource.literal($0) }
        flow.node("ask", .agent(AgentCall(agent: agent, input: mapping)), policy: policy, into: "answer")
        return try flow.build()
    }

    static func events(_ store: any Store, _ run: RunID) async throws -> [Event] {
        try await store.events(run: run, after: 0, limit: 100_000)
    }

    static func agent(
        _ name: String = "assistant", model: String = "scripted:test", tools: [String] = [], output: JSON? = nil,
        limits: AgentLimits = AgentLimits(), handoffs: [String] = [], agentTools: [String] = [], cache: CachePolicy? = nil,
        retry: ModelRetryPolicy = ModelRetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(2))
    ) throws -> Agent {
        Agent(
            name: name, role: "a test agent", instructions: try Template("Help with {{input.request}}."), model: .model(try ModelReference(parsing: model)),
            tools: tools, outputSchema: output, limits: limits, handoffs: handoffs, agentTools: agentTools, cache: cache,
            retry: retry
        )
    }
}

/// Which tools ran, in order.
final class CallLog: Sendable {
    private let names = Mutex<[String]>([])
    func note(_ name: String) { names.withLock { $0.append(name) } }
    var all: [String] { names.withLock { $0 } }
    func count(_ name: String) -> Int { names.withLock { $0.filter { $0 == name }.count } }
}

