import BatonCore

/// A tool a workflow file declares in its `tools:` section: a built-in configured for this
/// workflow, or a tool of the host program whose contract the file tightens. Whoever runs the
/// workflow (the `baton` command) turns declarations into tools.
public struct ToolDeclaration: Sendable, Equatable {
    /// The name `tool` nodes and agents use.
    public var name: String
    /// The built-in it configures (`http.request`, `file.read`, `file.write`, `file.list`); `nil`
    /// for a tool the host program provides.
    public var builtin: String?
    /// The built-in's settings, as written (`allowed_hosts`, `root`, …).
    public var settings: [String: JSON]
    /// Changes to the tool's contract.
    public var overrides: ContractOverrides

    public init(name: String, builtin: String? = nil, settings: [String: JSON] = [:], overrides: ContractOverrides = ContractOverrides()) {
        self.name = name
        self.builtin = builtin
        self.settings = settings
        self.overrides = overrides
    }

    /// The built-ins a file may declare, with the settings each accepts.
    public static let builtins: [String: [String]] = [
        "http.request": ["allowed_hosts", "methods", "max_response_bytes"],
        "file.read": ["root", "max_bytes"],
        "file.write": ["root"],
        "file.list": ["root"],
        "ledger.append": ["root", "file", "table"],
    ]
}

/// The parts of a tool's contract a workflow file may change. `nil` keeps the tool's own.
public struct ContractOverrides: Sendable, Equatable {
    public var description: String?
    public var timeout: Duration?
    public var retry: RetryPolicy?
    public var risk: ToolRisk?
    public var fallback: String?
    public var maxConcurrency: Int?
    public var circuitBreaker: CircuitBreakerPolicy?

    public init(
        description: String? = nil, timeout: Duration? = nil, retry: RetryPolicy? = nil, risk: ToolRisk? = nil, fallback: String? = nil,
        maxConcurrency: Int? = nil, circuitBreaker: CircuitBreakerPolicy? = nil
    ) {
        self.description = description
        self.timeout = timeout
        self.retry = retry
        self.risk = risk
        self.fallback = fallback
        self.maxConcurrency = maxConcurrency
        self.circuitBreaker = circuitBreaker
    }

    /// `contract` with these changes, under the name `name`.
    public func applied(to contract: ToolContract, name: String) -> ToolContract {
        var changed = contract
        changed.name = name
        if let description { changed.description = description }
        if let timeout { changed.timeout = timeout }
        if let retry { changed.retry = retry }
        if let risk { changed.risk = risk }
        if let fallback { changed.fallback = fallback }
        if let maxConcurrency { changed.maxConcurrency = maxConcurrency }
        if let circuitBreaker { changed.circuitBreaker = circuitBreaker }
        return changed
    }
}
