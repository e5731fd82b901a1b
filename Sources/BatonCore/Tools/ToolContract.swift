/// What calling a tool does to the world: decides whether a call may be retried automatically
/// and whether its result is journaled.
public enum ToolEffect: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Same arguments, same result, nothing touched (a calculation).
    case pure
    /// Reads the world without changing it (a search, a file read).
    case readOnly = "read_only"
    /// Changes the world, but doing it twice is the same as once (a PUT, an upsert by key).
    case idempotent
    /// Changes the world each time (a payment, an e-mail). Never retried automatically; it gets an
    /// idempotency key that stays the same across retries and across a crash and resume.
    case sideEffecting = "side_effecting"

    /// Whether the engine may repeat a failed call on its own.
    public var isSafeToRepeat: Bool { self != .sideEffecting }

    public var description: String { rawValue }
}

/// How much harm a wrong call could do. Governance policies match on it (for example, approvals
/// for every `high` tool).
public enum ToolRisk: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    case low, medium, high

    public static func < (lhs: ToolRisk, rhs: ToolRisk) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .low: return 0
        case .medium: return 1
        case .high: return 2
        }
    }

    public var description: String { rawValue }
}

/// When a tool keeps failing, stop calling it for a while: after `failureThreshold` consecutive
/// failures the circuit opens for `cooldown`; then one probe call decides whether it closes again.
public struct CircuitBreakerPolicy: Sendable, Hashable {
    public var failureThreshold: Int
    public var cooldown: Duration

    public init(failureThreshold: Int = 5, cooldown: Duration = .seconds(30)) {
        self.failureThreshold = max(1, failureThreshold)
        self.cooldown = cooldown
    }
}

/// The contract of a tool, whatever implements it (Swift, an MCP server, a built-in): what it is
/// called, what it accepts and returns, what it does to the world, and how calls to it are run.
/// The ``ToolBox`` enforces every part of it on every call.
public struct ToolContract: Sendable {
    /// Letters, digits, `_`, `-` and `.`; unique in a tool box. Models see this name.
    public var name: String
    /// What the tool does and when to use it, written for the model that chooses it.
    public var description: String
    /// JSON Schema (2020-12) of the arguments object.
    public var inputSchema: JSON
    /// JSON Schema of the result, checked after each call; `nil` accepts any result.
    public var outputSchema: JSON?
    public var effect: ToolEffect
    public var risk: ToolRisk
    /// How long one attempt may take.
    public var timeout: Duration
    /// Automatic retries of failed attempts. Only tools that are safe to repeat may have more than
    /// one attempt (see ``ToolEffect/isSafeToRepeat``).
    public var retry: RetryPolicy
    /// The tool to call, with the same arguments, when every attempt failed.
    public var fallback: String?
    /// `nil` turns the circuit breaker off.
    public var circuitBreaker: CircuitBreakerPolicy?
    /// At most this many calls at once in this process; `nil` for no limit.
    public var maxConcurrency: Int?

    /// The default timeout of one attempt.
    public static let defaultTimeout: Duration = .seconds(30)

    /// The retries a tool gets unless it says otherwise: three attempts for tools that are safe to
    /// repeat, one for side-effecting tools.
    public static func defaultRetry(for effect: ToolEffect) -> RetryPolicy {
        effect.isSafeToRepeat ? RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(100), maxBackoff: .seconds(5)) : .none
    }

    public init(
        name: String, description: String, inputSchema: JSON = ["type": "object"], outputSchema: JSON? = nil,
        effect: ToolEffect = .sideEffecting, risk: ToolRisk = .medium, timeout: Duration = ToolContract.defaultTimeout,
        retry: RetryPolicy? = nil, fallback: String? = nil, circuitBreaker: CircuitBreakerPolicy? = CircuitBreakerPolicy(),
        maxConcurrency: Int? = nil
    ) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.effect = effect
        self.risk = risk
        self.timeout = timeout
        self.retry = retry ?? ToolContract.defaultRetry(for: effect)
        self.fallback = fallback
        self.circuitBreaker = circuitBreaker
        self.maxConcurrency = maxConcurrency
    }

    /// Whether `name` can name a tool: 1 to 64 letters, digits, `_`, `-` or `.` (the names model
    /// providers accept).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: ".")
            }
    }

    /// The contract as data: what `baton` prints and what events and policies refer to.
    public var json: JSON {
        var members: [String: JSON] = [
            "name": .string(name), "description": .string(description), "input_schema": inputSchema,
            "effect": .string(effect.rawValue), "risk": .string(risk.rawValue), "timeout_ms": .int(Int(timeout.seconds * 1000)),
            "max_attempts": .int(retry.maxAttempts),
        ]
        if let outputSchema { members["output_schema"] = outputSchema }
        if let fallback { members["fallback"] = .string(fallback) }
        if let circuitBreaker {
            members["circuit_breaker"] = [
                "failure_threshold": .int(circuitBreaker.failureThreshold), "cooldown_ms": .int(Int(circuitBreaker.cooldown.seconds * 1000)),
            ]
        }
        if let maxConcurrency { members["max_concurrency"] = .int(maxConcurrency) }
        return .object(members)
    }
}
