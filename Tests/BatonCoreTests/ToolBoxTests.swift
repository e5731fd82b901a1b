import BatonCore
import Synchronization
import Testing

/// The contract of every tool, enforced by the tool box: validation, timeouts, retries, fallback,
/// circuit breaker, concurrency limit, journaling and events.
@Suite struct ToolBoxTests {
    struct AddArguments: Codable, Sendable {
        let a: Int
        let b: Int
    }

    struct Sum: Codable, Sendable {
        let sum: Int
    }

    static func addTool(calls: Counter = Counter()) throws -> TypedTool<AddArguments, Sum> {
        try TypedTool("add", description: "Adds two integers.", effect: .pure) { (input: AddArguments, _) in
            calls.next()
            return Sum(sum: input.a + input.b)
        }
    }

    static func failing(_ name: String, effect: ToolEffect, calls: Counter, failures: Int = .max, retry: RetryPolicy? = nil, breaker: CircuitBreakerPolicy? = nil, fallback: String? = nil) -> ClosureTool {
        ClosureTool(ToolContract(
            name: name, description: "Fails \(failures) times.", effect: effect,
            retry: retry, fallback: fallback, circuitBreaker: breaker
        )) { _, context in
            if calls.next() <= failures { throw ToolError.failed(tool: context.tool, code: "unavailable", message: "down", retryable: true) }
            return ["ok": true, "key": .string(context.idempotencyKey)]
        }
    }

    let fastRetry = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(2))

    @Test func aTypedToolGetsItsSchemasFromItsTypesAndAnswers() async throws {
        let box = try ToolBox([try Self.addTool()])
        let contract = try #require(box.contract("add"))
        #expect(contract.inputSchema["required"] == ["a", "b"])
        #expect(contract.outputSchema?["properties"]?["sum"]?["type"] == "integer")
        #expect(contract.risk == .low)
        let result = try await box.call("add", arguments: ["a": 2, "b": 3])
        #expect(result == ["sum": 5])
    }

    @Test func invalidArgumentsNeverReachTheToolAndSayWhatToFix() async throws {
        let calls = Counter()
        let box = try ToolBox([try Self.addTool(calls: calls)])
        let error = await #expect(throws: ToolError.self) { try await box.call("add", arguments: ["a": "two", "c": 1]) }
        guard case let .invalidArguments(tool, errors) = error else {
            Issue.record("expected invalid arguments, got \(String(describing: error))")
            return
        }
        #expect(tool == "add")
        #expect(calls.count == 0)
        let paths = Set(errors.map(\.instancePath))
        #expect(paths.contains("/a"))
        #expect(error?.json["errors"]?.arrayValue?.isEmpty == false)
        #expect(error?.message.contains("Fix these arguments") == true)
    }

    @Test func anUnknownToolNamesTheOnesThatExist() async throws {
        let box = try ToolBox([try Self.addTool()])
        let error = await #expect(throws: ToolError.self) { try await box.call("subtract", arguments: [:]) }
        #expect(error == .unknownTool("subtract", known: ["add"]))
        #expect(error?.message.contains("available tools: add") == true)
    }

    @Test func anOutputThatBreaksItsSchemaIsAnError() async throws {
        let tool = ClosureTool(ToolContract(name: "count", description: "Counts.", outputSchema: ["type": "integer"], effect: .pure)) { _, _ in "many" }
        let box = try ToolBox([tool])
        let error = await #expect(throws: ToolError.self) { try await box.call("count", arguments: [:]) }
        #expect(error?.code == "invalid_output")
    }

    @Test func aHungToolTimesOutEvenIfItIgnoresCancellation() async throws {
        let tool = ClosureTool(ToolContract(name: "hang", description: "Never answers.", effect: .readOnly, timeout: .milliseconds(100), retry: RetryPolicy.none)) { _, _ in
            // Never resumed, and deaf to cancellation: only the timeout's race gives control back.
            await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
            return "too late"
        }
        let box = try ToolBox([tool])
        let clock = ContinuousClock()
        let started = clock.now
        let error = await #expect(throws: ToolError.self) { try await box.call("hang", arguments: [:]) }
        #expect(error == .timedOut(tool: "hang", after: .milliseconds(100)))
        // Generous: the whole suite runs at once on two cores.
        #expect(clock.now - started < .seconds(20))
    }

    @Test func safeToolsAreRetriedWithTheSameKeySideEffectingOnesNever() async throws {
        let readCalls = Counter()
        let box = try ToolBox([
            Self.failing("read", effect: .readOnly, calls: readCalls, failures: 2, retry: fastRetry),
        ])
        let result = try await box.call("read", arguments: [:])
        #expect(readCalls.count == 3)
        #expect(result["ok"] == true)

        let payCalls = Counter()
        let pay = Self.failing("pay", effect: .sideEffecting, calls: payCalls, failures: 1)
        let payBox = try ToolBox([pay])
        await #expect(throws: ToolError.self) { try await payBox.call("pay", arguments: [:]) }
        #expect(payCalls.count == 1)

        #expect(throws: ToolError.self) {
            _ = try ToolBox([Self.failing("pay", effect: .sideEffecting, calls: Counter(), retry: fastRetry)])
        }
    }

    @Test func theCircuitOpensAfterConsecutiveFailuresThenOneProbeClosesIt() async throws {
        let calls = Counter()
        let breaker = CircuitBreakerPolicy(failureThreshold: 2, cooldown: .milliseconds(150))
        let box = try ToolBox([Self.failing("flaky", effect: .readOnly, calls: calls, failures: 2, retry: RetryPolicy.none, breaker: breaker)])
        for _ in 0..<2 { await #expect(throws: ToolError.self) { try await box.call("flaky", arguments: [:]) } }
        let refused = await #expect(throws: ToolError.self) { try await box.call("flaky", arguments: [:]) }
        #expect(refused?.code == "circuit_open")
        #expect(calls.count == 2)
        try await Task.sleep(for: .milliseconds(200))
        let probe = try await box.call("flaky", arguments: [:])
        #expect(probe["ok"] == true)
        _ = try await box.call("flaky", arguments: [:])
        #expect(calls.count == 4)
    }

    @Test func theConcurrencyLimitHolds() async throws {
        let running = Mutex((now: 0, peak: 0))
        let tool = ClosureTool(ToolContract(name: "slow", description: "Takes a while.", effect: .pure, maxConcurrency: 2)) { _, _ in
            running.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
            try await Task.sleep(for: .milliseconds(30))
            running.withLock { $0.now -= 1 }
            return true
        }
        let box = try ToolBox([tool])
        try await withThrowingTaskGroup(of: JSON.self) { group in
            for _ in 0..<6 { group.addTask { try await box.call("slow", arguments: [:]) } }
            for try await result in group { #expect(result == true) }
        }
        #expect(running.withLock { $0.peak } == 2)
    }

    @Test func whenEveryAttemptFailsTheFallbackAnswers() async throws {
        let primary = Counter()
        let backup = Counter()
        let box = try ToolBox([
            Self.failing("primary", effect: .readOnly, calls: primary, retry: fastRetry, fallback: "backup"),
            Self.failing("backup", effect: .readOnly, calls: backup, failures: 0),
        ])
        let result = try await box.call("primary", arguments: [:])
        #expect(primary.count == 3)
        #expect(backup.count == 1)
        #expect(result["ok"] == true)
    }

    @Test func aToolNodeRecordsEachAttemptAndDecisionAsEvents() async throws {
        let calls = Counter()
        let box = try ToolBox([Self.failing("lookup", effect: .readOnly, calls: calls, failures: 1, retry: fastRetry)])
        var flow = WorkflowBuilder("lookup")
        flow.node("find", .tool(ToolCall(tool: "lookup")), into: "found")
        let engine = Engine(store: InMemoryStore(), tools: box)
        let result = try await engine.run(try flow.build())
        #expect(result.status == .succeeded)
        let events = try await engine.store.events(run: result.id, after: 0, limit: 100)
        let types = events.map(\.type.rawValue)
        #expect(types.contains("tool.failed"))
        // The journaled call's event is its success, with the arguments and the result.
        let succeeded = try #require(events.first { $0.type == .toolSucceeded })
        #expect(succeeded.data["idempotency_key"] == .string("\(result.id)/0.0/0"))
        #expect(succeeded.data["attempt"] == 2)
        #expect(succeeded.data["arguments"] == [:])
        #expect(succeeded.data["result"]?["ok"] == true)
        #expect(!types.contains("effect.recorded"))
        // The idempotency key is the same for both attempts: the journal's key for the call.
        #expect(result.output?["found"]?["key"] == .string("\(result.id)/0.0/0"))
    }

    @Test func aJournaledSideEffectIsReturnedAgainInsteadOfRepeated() async throws {
        let charges = Counter()
        let attempts = Counter()
        let charge = ClosureTool(ToolContract(name: "charge", description: "Charges a card.", effect: .sideEffecting, risk: .high)) { arguments, context in
            charges.next()
            return ["receipt": .string(context.idempotencyKey), "amount": arguments["amount"] ?? .null]
        }
        let box = try ToolBox([charge])
        var flow = WorkflowBuilder("checkout")
        flow.function("pay", policy: ExecutionPolicy(retry: RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1)))) { context in
            let receipt = try await box.call("charge", arguments: ["amount": 12], step: context)
            // The step fails after the charge (as a crash would): its retry must not charge again.
            if attempts.next() == 1 { throw NodeError(code: "crash", message: "lost after charging") }
            return ["receipt": receipt]
        }
        let engine = Engine(store: InMemoryStore(), tools: box)
        let result = try await engine.run(try flow.build())
        #expect(result.status == .succeeded)
        #expect(charges.count == 1)
        let events = try await engine.store.events(run: result.id, after: 0, limit: 100)
        #expect(events.contains { $0.type == .toolReplayed })
    }

    @Test func aToolNodeWithBadArgumentsFailsWithTheSchemaError() async throws {
        let box = try ToolBox([try Self.addTool()])
        var flow = WorkflowBuilder("bad")
        flow.node("sum", .tool(ToolCall(tool: "add", arguments: ["a": .literal("one"), "b": .literal(2)])), into: "sum")
        let engine = Engine(store: InMemoryStore(), tools: box)
        let result = try await engine.run(try flow.build())
        #expect(result.status == .failed)
        #expect(result.reason?.contains("do not match its input schema") == true)
        let events = try await engine.store.events(run: result.id, after: 0, limit: 100)
        #expect(events.contains { $0.type == .toolRejected })
        #expect(events.last { $0.type == .runFailed }?.data["error"]?["code"] == "invalid_arguments")
    }

    @Test func contractsThatCannotBeEnforcedAreRefusedWhenRegistered() throws {
        let bad: [ToolContract] = [
            ToolContract(name: "has space", description: "", effect: .pure),
            ToolContract(name: "loop", description: "", effect: .pure, fallback: "loop"),
            ToolContract(name: "schema", description: "", inputSchema: ["type": "nonsense"], effect: .pure),
            ToolContract(name: "gate", description: "", effect: .pure, maxConcurrency: 0),
        ]
        for contract in bad {
            #expect(throws: ToolError.self) { _ = try ToolBox([ClosureTool(contract) { _, _ in .null }]) }
        }
    }
}
