import BatonCore
import Synchronization

/// w9_schema: what a contract costs. A typical 10-property argument object validated against a
/// compiled schema, 1,000,000 times (target ≤ 2 µs each); and the overhead a tool call adds to
/// the tool's own time through the whole path (lookup, validation, breaker, timeout, journal in
/// memory, events), measured as the time of calls through a ``ToolBox`` inside a step minus the
/// time of the same tool body called directly (target ≤ 5 µs per call).
struct W9Schema: Workload {
    let name = "w9_schema"
    let summary = "10-property object against a compiled schema, 1,000,000 validations: µs each (target ≤ 2); tool call overhead (target ≤ 5)"
    static let targetValidationMicroseconds = 2.0
    static let targetToolCallMicroseconds = 5.0

    static let schema: JSON = [
        "type": "object",
        "properties": [
            "id": ["type": "integer", "minimum": 1],
            "name": ["type": "string", "minLength": 1, "maxLength": 100],
            "email": ["type": "string", "pattern": "^[^@\\s]+@[^@\\s]+$"],
            "age": ["type": "integer", "minimum": 0, "maximum": 150],
            "score": ["type": "number"],
            "active": ["type": "boolean"],
            "role": ["enum": ["admin", "user", "guest"]],
            "tags": ["type": "array", "items": ["type": "string"], "maxItems": 10],
            "country_code": ["type": "string", "minLength": 2, "maxLength": 2],
            "note": ["type": ["string", "null"]],
        ],
        "required": ["id", "name", "email", "age", "score", "active", "role", "tags", "country_code", "note"],
        "additionalProperties": false,
    ]

    static let instance: JSON = [
        "id": 42, "name": "Ada Lovelace", "email": "ada@example.com", "age": 36, "score": 99.5, "active": true,
        "role": "admin", "tags": ["math", "engines"], "country_code": "GB", "note": .null,
    ]

    func run(_ context: BenchContext) async throws -> Measurement {
        let validations = context.count(1_000_000, quick: 10_000)
        let compiled = try JSONSchema(Self.schema)
        var members = Self.instance.objectValue ?? [:]
        members["age"] = -1
        let broken = JSON.object(members)
        try expect(!compiled.isValid(broken), in: name, "an age of -1 was accepted")
        for _ in 0..<1_000 { try expect(compiled.isValid(Self.instance), in: name, "the instance was rejected during warm-up") }
        let validation = try await Meter.measure(ops: validations, unit: "validation") {
            for _ in 0..<validations {
                try expect(compiled.isValid(Self.instance), in: name, "the instance was rejected")
            }
        }

        let calls = context.count(20_000, quick: 1_000)
        let through = try await Self.timeCalls(calls, throughBox: true, in: name)
        let direct = try await Self.timeCalls(calls, throughBox: false, in: name)
        let overhead = Figure(ops: calls, unit: "call", seconds: max(0, through.seconds - direct.seconds), cpuSeconds: max(0, through.cpuSeconds - direct.cpuSeconds))

        return Measurement(
            workload: name, primary: "validate",
            figures: [("validate", validation), ("tool_call_overhead", overhead), ("tool_call_through_box", through), ("tool_call_direct", direct)],
            params: [
                ("properties", .int(10)), ("validations", .int(validations)), ("tool_calls", .int(calls)), ("quick", .bool(context.quick)),
                ("target_us_per_validation", .number(Self.targetValidationMicroseconds, digits: 1)),
                ("validation_target_met", .bool(validation.microsecondsPerOp <= Self.targetValidationMicroseconds)),
                ("target_us_per_tool_call", .number(Self.targetToolCallMicroseconds, digits: 1)),
                ("tool_call_target_met", .bool(overhead.microsecondsPerOp <= Self.targetToolCallMicroseconds)),
            ],
            peakRSSKilobytes: Meter.peakRSSKilobytes()
        )
    }

    /// One run whose single step makes `calls` calls of a side-effecting tool (journaled, in memory),
    /// either through a tool box or straight to the tool's body. Only the loop inside the step is timed.
    static func timeCalls(_ calls: Int, throughBox: Bool, in workload: String) async throws -> Figure {
        let body: @Sendable (JSON) -> JSON = { arguments in ["id": arguments["id"] ?? .null, "ok": true] }
        let tool = ClosureTool(ToolContract(
            name: "update_user", description: "Updates a user.", inputSchema: schema, outputSchema: ["type": "object"], effect: .sideEffecting
        )) { arguments, _ in body(arguments) }
        let box = try ToolBox([tool])
        let timing = Mutex<Figure?>(nil)
        var flow = WorkflowBuilder("w9_tool_calls")
        flow.function("call") { step in
            let figure = try await Meter.measure(ops: calls, unit: "call") {
                for _ in 0..<calls {
                    let result = throughBox ? try await box.call("update_user", arguments: instance, step: step) : body(instance)
                    try expect(result["id"] == 42, in: workload, "the tool answered \(result)")
                }
            }
            timing.withLock { $0 = figure }
            return [:]
        }
        let result = try await Engine(store: InMemoryStore()).run(try flow.build())
        try expect(result.status == .succeeded, in: workload, "the run ended \(result.status): \(result.reason ?? "")")
        guard let figure = timing.withLock({ $0 }) else { throw BenchFailure(workload: workload, "the step did not run") }
        return figure
    }
}
