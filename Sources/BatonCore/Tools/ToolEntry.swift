/// A registered tool with what enforcing its contract needs: compiled schemas, its circuit
/// breaker and its concurrency gate. An object: every call looks its tool up, and a copy then
/// costs one reference, not one per member of its contract.
final class ToolEntry: Sendable {
    enum Outcome: Sendable {
        case success(JSON, milliseconds: Int)
        case failure(ToolError, milliseconds: Int)
    }

    let tool: any Tool
    let contract: ToolContract
    let input: JSONSchema
    let output: JSONSchema?
    let breaker: CircuitBreaker?
    let gate: ConcurrencyGate?

    init(_ tool: any Tool) throws(ToolError) {
        let contract = tool.contract
        func invalid(_ reason: String) -> ToolError { .invalidContract(tool: contract.name, reason: reason) }
        guard ToolContract.isValidName(contract.name) else {
            throw invalid("a tool name is 1 to 64 letters, digits, '_', '-' or '.'")
        }
        if !contract.effect.isSafeToRepeat, contract.retry.maxAttempts > 1 {
            throw invalid("a side-effecting tool is never retried automatically; declare it idempotent if it honours its idempotency key")
        }
        if let limit = contract.maxConcurrency, limit < 1 { throw invalid("max_concurrency must be at least 1, not \(limit)") }
        if contract.fallback == contract.name { throw invalid("a tool cannot be its own fallback") }
        if contract.timeout <= .zero { throw invalid("the timeout must be positive") }
        do {
            input = try JSONSchema(contract.inputSchema)
        } catch {
            throw invalid("its input schema does not compile: \(error)")
        }
        do {
            output = try contract.outputSchema.map { try JSONSchema($0) }
        } catch {
            throw invalid("its output schema does not compile: \(error)")
        }
        self.tool = tool
        self.contract = contract
        breaker = contract.circuitBreaker.map(CircuitBreaker.init(policy:))
        gate = contract.maxConcurrency.map(ConcurrencyGate.init(limit:))
    }

    /// One attempt: breaker, concurrency limit, timeout, the tool, the output schema.
    func attempt(_ arguments: JSON, context: ToolContext) async -> Outcome {
        let started = ContinuousClock.now
        func elapsed() -> Int { Int(((ContinuousClock.now - started).seconds * 1000).rounded()) }
        let admission = breaker?.admit() ?? .allowed
        if case let .refused(retryAfter) = admission {
            return .failure(.circuitOpen(tool: contract.name, retryAfter: retryAfter), milliseconds: 0)
        }
        let result: JSON
        do {
            let call = { [tool, timeout = contract.timeout] in try await withTimeout(timeout) { try await tool.call(arguments, context: context) } }
            if let gate {
                result = try await gate.withPlace(call)
            } else {
                result = try await call()
            }
        } catch let error as NodeError where error.code == NodeError.timeout(contract.timeout).code {
            breaker?.report(.failure)
            return .failure(.timedOut(tool: contract.name, after: contract.timeout), milliseconds: elapsed())
        } catch {
            let failure = ToolError(thrownBy: contract.name, error)
            // Only failures that retrying could cure say the tool is unwell (a service down, a
            // reset); a non-retryable one is about the call (a bad URL, a refused path).
            breaker?.report(failure.retryable ? .failure : .neutral)
            return .failure(failure, milliseconds: elapsed())
        }
        if let output {
            let validation = output.validate(result)
            if !validation.isValid {
                breaker?.report(.failure)
                return .failure(.invalidOutput(tool: contract.name, errors: validation.errors), milliseconds: elapsed())
            }
        }
        breaker?.report(.success)
        return .success(result, milliseconds: elapsed())
    }
}

extension ToolError {
    /// The error a tool's failure becomes: its own ``ToolError`` or ``NodeError`` keeps its code and
    /// retryability; a cancellation is named as such; anything else is retryable.
    init(thrownBy tool: String, _ error: any Error) {
        switch error {
        case let error as ToolError:
            self = error
        case is CancellationError:
            self = .cancelled(tool: tool)
        default:
            let node = NodeError(wrapping: error)
            self = .failed(tool: tool, code: node.code, message: node.message, retryable: node.retryable)
        }
    }

    /// True for refusals that happened before the tool was called.
    var refusedBeforeCalling: Bool {
        switch self {
        case .circuitOpen, .unknownTool, .invalidArguments: return true
        default: return false
        }
    }
}
