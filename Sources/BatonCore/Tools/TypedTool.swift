/// A tool written in Swift with typed input and output: its schemas come from the types.
///
/// ```swift
/// struct AddArguments: Codable, Sendable { let a: Int; let b: Int }
/// let add = try TypedTool("add", description: "Adds two integers.", effect: .pure) { (input: AddArguments, _) in
///     input.a + input.b
/// }
/// ```
///
/// The input schema is inferred from `Input` (see ``JSONSchemaInference``; conform the type to
/// ``SchemaDescribed`` to describe its members to the model), the output schema from `Output`.
/// Dates travel as ISO 8601 strings.
public struct TypedTool<Input: Decodable & Sendable, Output: Codable & Sendable>: Tool {
    public let contract: ToolContract
    private let body: @Sendable (Input, ToolContext) async throws -> Output

    /// A tool called `name`. Its risk defaults by effect: `low` for pure and read-only tools,
    /// `medium` for idempotent ones, `high` for side-effecting ones.
    ///
    /// - Throws: ``ToolError/invalidContract(tool:reason:)`` when a schema cannot be inferred.
    public init(
        _ name: String, description: String, effect: ToolEffect, risk: ToolRisk? = nil, timeout: Duration = ToolContract.defaultTimeout,
        retry: RetryPolicy? = nil, fallback: String? = nil, circuitBreaker: CircuitBreakerPolicy? = CircuitBreakerPolicy(),
        maxConcurrency: Int? = nil, _ body: @escaping @Sendable (Input, ToolContext) async throws -> Output
    ) throws(ToolError) {
        let input: JSON
        let output: JSON
        do {
            input = try JSONSchemaInference.schema(for: Input.self)
            output = try JSONSchemaInference.schema(for: Output.self)
        } catch {
            throw ToolError.invalidContract(tool: name, reason: "its schema cannot be inferred from its Swift types: \(error)")
        }
        contract = ToolContract(
            name: name, description: description, inputSchema: input, outputSchema: output, effect: effect,
            risk: risk ?? TypedTool.defaultRisk(for: effect), timeout: timeout, retry: retry, fallback: fallback,
            circuitBreaker: circuitBreaker, maxConcurrency: maxConcurrency
        )
        self.body = body
    }

    public func call(_ arguments: JSON, context: ToolContext) async throws -> JSON {
        let input: Input
        do {
            input = try JSONValueDecoder.decode(Input.self, from: arguments)
        } catch {
            throw ToolError.failed(
                tool: contract.name, code: "invalid_arguments",
                message: "the arguments match the schema but not the Swift type \(Input.self): \(error)", retryable: false
            )
        }
        let output = try await body(input, context)
        do {
            return try JSONValueEncoder.encode(output)
        } catch {
            throw ToolError.failed(tool: contract.name, code: "invalid_output", message: "the result could not be encoded as JSON: \(error)", retryable: false)
        }
    }

    static func defaultRisk(for effect: ToolEffect) -> ToolRisk {
        switch effect {
        case .pure, .readOnly: return .low
        case .idempotent: return .medium
        case .sideEffecting: return .high
        }
    }
}
