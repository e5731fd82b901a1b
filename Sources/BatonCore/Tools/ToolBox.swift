import Synchronization

/// The tools available to a run, and the enforcement of their contracts.
///
/// Every call goes through the same path, whoever makes it (a `tool` node, an agent, the command
/// line): the tool is looked up; its arguments are validated against its input schema (invalid
/// arguments never reach it and come back as a structured ``ToolError`` a model can repair); the
/// circuit breaker and the concurrency limit are consulted; each attempt runs under the contract's
/// timeout, its result is validated against the output schema, and failures are retried as the
/// contract allows, then handed to the fallback tool. Inside a step, a call that changes the world
/// is journaled: its idempotency key is the same across retries and across a crash and resume,
/// and once its result is journaled it is returned again instead of calling the tool twice.
/// Each attempt and decision is an event of the step.
///
/// ```swift
/// let tools = try ToolBox([addTool, weatherTool])
/// let engine = Engine(store: store, tools: tools)
/// ```
public final class ToolBox: ToolInvoker {
    private let entries = Mutex<[String: ToolEntry]>([:])
    private let changes = Atomic<Int>(0)
    private let random: @Sendable () -> Double

    /// A tool box holding `tools`; throws ``ToolError/invalidContract(tool:reason:)`` for a contract
    /// that cannot be enforced.
    public init(_ tools: [any Tool] = [], random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) throws(ToolError) {
        self.random = random
        for tool in tools { try register(tool) }
    }

    /// Adds `tool`, replacing a tool of the same name.
    public func register(_ tool: any Tool) throws(ToolError) {
        let entry = try ToolEntry(tool)
        entries.withLock { $0[entry.contract.name] = entry }
        changes.add(1, ordering: .releasing)
    }

    /// Removes the tool called `name`, if there is one.
    public func remove(_ name: String) {
        _ = entries.withLock { $0.removeValue(forKey: name) }
        changes.add(1, ordering: .releasing)
    }

    /// A number that changes whenever a tool is added, replaced or removed: what is derived from
    /// the tool box (an agent's offered tools) can be kept until it changes.
    public var generation: Int { changes.load(ordering: .acquiring) }

    /// The contracts of every tool, by name.
    public var contracts: [ToolContract] {
        entries.withLock { $0.values.map(\.contract) }.sorted { $0.name < $1.name }
    }

    /// The contract of the tool called `name`.
    public func contract(_ name: String) -> ToolContract? {
        entries.withLock { $0[name]?.contract }
    }

    public var toolNames: [String] {
        entries.withLock { Array($0.keys) }.sorted()
    }

    public func hasTool(_ tool: String) -> Bool {
        entries.withLock { $0[tool] != nil }
    }

    public func callTool(_ tool: String, arguments: JSON, context: StepContext) async throws -> JSON {
        try await call(tool, arguments: arguments, step: context)
    }

    /// Calls `name` with `arguments` under its contract. `step` is the step the call belongs to:
    /// it journals the call and receives its events; without one the call is neither journaled
    /// nor recorded.
    public func call(_ name: String, arguments: JSON, step: StepContext? = nil) async throws(ToolError) -> JSON {
        guard let entry = entries.withLock({ $0[name] }) else {
            let error = ToolError.unknownTool(name, known: toolNames)
            step?.record(.toolRejected, error.json)
            throw error
        }
        let validation = entry.input.validate(arguments)
        guard validation.isValid else {
            let error = ToolError.invalidArguments(tool: name, errors: validation.errors)
            step?.record(.toolRejected, error.json)
            throw error
        }
        guard let step, entry.contract.effect != .pure || entry.contract.fallback != nil else {
            let key = step.map { "\($0.run.rawValue)/\($0.step)/\(name)" } ?? "\(RunID.generate().rawValue)/\(name)"
            let answer = try await attempts(entry, arguments: arguments, key: key, step: step, chain: [name])
            var data = answer.json(arguments: arguments, contract: entry.contract)
            if case var .object(members) = data {
                members["idempotency_key"] = .string(key)
                data = .object(members)
            }
            step?.record(.toolSucceeded, data)
            return answer.result
        }
        // One journal entry per call, whichever attempt or fallback answered: a crash and resume
        // return it without calling anything again. Its event is the call's `tool.succeeded`.
        do {
            // The journaled object is also the event's data: one dictionary per call, built once.
            let (journaled, replayed) = try await step.effect("tool:" + name, recordedAs: .toolSucceeded, extra: [:]) { key in
                try await attempts(entry, arguments: arguments, key: key, step: step, chain: [name]).json(arguments: arguments, contract: entry.contract)
            }
            let result = journaled["result"] ?? .null
            if replayed { step.record(.toolReplayed, ["tool": .string(name), "result": result]) }
            return result
        } catch let error as ToolError {
            throw error
        } catch {
            // The journal itself failed (the store is unreachable): the step fails and is retried by its policy.
            throw ToolError.failed(tool: name, code: "journal_failed", message: "the result could not be journaled: \(error)", retryable: true)
        }
    }

    /// The successful end of a call: the tool that answered (the called one or a fallback), on
    /// which attempt, how long that attempt took.
    private struct Answer {
        let result: JSON
        let tool: String
        let attempt: Int
        let milliseconds: Int

        /// The call as the journal keeps it (and replays its `result`) and as its `tool.succeeded`
        /// event shows it.
        func json(arguments: JSON, contract: ToolContract) -> JSON {
            [
                "result": result, "tool": .string(tool), "attempt": .int(attempt), "duration_ms": .int(milliseconds), "arguments": arguments,
                "effect": .string(contract.effect.rawValue), "risk": .string(contract.risk.rawValue),
            ]
        }
    }

    /// Runs the attempts of one call, then its fallback if every attempt failed.
    private func attempts(_ entry: ToolEntry, arguments: JSON, key: String, step: StepContext?, chain: [String]) async throws(ToolError) -> Answer {
        var attempt = 1
        while true {
            let outcome = await entry.attempt(arguments, context: ToolContext(tool: entry.contract.name, idempotencyKey: key, attempt: attempt, step: step))
            switch outcome {
            case let .success(result, milliseconds):
                return Answer(result: result, tool: entry.contract.name, attempt: attempt, milliseconds: milliseconds)
            case let .failure(error, milliseconds):
                let retry = entry.contract.effect.isSafeToRepeat && entry.contract.retry.shouldRetry(error.nodeError, afterAttempt: attempt)
                let delay = retry ? entry.contract.retry.backoff(afterAttempt: attempt, random: random()) : nil
                var data: [String: JSON] = [
                    "tool": .string(entry.contract.name), "attempt": .int(attempt), "idempotency_key": .string(key), "duration_ms": .int(milliseconds),
                    "error": error.json, "will_retry": .bool(retry),
                ]
                if attempt == 1 { data["arguments"] = arguments }
                if let delay { data["retry_in_ms"] = .int(Int(delay.seconds * 1000)) }
                step?.record(error.refusedBeforeCalling ? .toolRejected : .toolFailed, .object(data))
                if let delay {
                    do {
                        try await Task.sleep(for: delay)
                    } catch {
                        throw ToolError.cancelled(tool: entry.contract.name)
                    }
                    attempt += 1
                    continue
                }
                return try await fallback(after: error, of: entry, arguments: arguments, key: key, step: step, chain: chain)
            }
        }
    }

    private func fallback(
        after error: ToolError, of entry: ToolEntry, arguments: JSON, key: String, step: StepContext?, chain: [String]
    ) async throws(ToolError) -> Answer {
        guard error != .cancelled(tool: entry.contract.name), let name = entry.contract.fallback, !chain.contains(name) else { throw error }
        guard let fallback = entries.withLock({ $0[name] }) else {
            throw ToolError.failed(
                tool: entry.contract.name, code: error.code,
                message: "\(error.message); its fallback '\(name)' is not in the tool box", retryable: error.retryable
            )
        }
        step?.record(.toolFallback, ["tool": .string(entry.contract.name), "fallback": .string(name), "error": error.json])
        let validation = fallback.input.validate(arguments)
        guard validation.isValid else { throw ToolError.invalidArguments(tool: name, errors: validation.errors) }
        return try await attempts(fallback, arguments: arguments, key: "\(key)/fallback/\(name)", step: step, chain: chain + [name])
    }
}
