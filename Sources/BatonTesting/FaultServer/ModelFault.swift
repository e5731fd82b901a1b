/// A failure the ``FaultInjectingModelServer`` can inject into an answer.
public enum ModelFault: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// HTTP 429 with `Retry-After` (and `retry-after-ms`).
    case rateLimit = "rate_limit"
    /// HTTP 500 with the provider's error body.
    case serverError = "server_error"
    /// The right answer, after a delay.
    case slow
    /// The connection is reset (TCP RST) before any answer.
    case reset
    /// The answer starts, then the connection closes in its middle (half the events of a stream,
    /// half the bytes of a declared-length body).
    case cutStream = "cut_stream"
    /// HTTP 200 with a body (or a stream chunk) that is not JSON.
    case malformed

    public var description: String { rawValue }
}

/// How often each ``ModelFault`` is injected, and how.
///
/// Rates are probabilities per request (0…1) whose sum must not exceed 1; each request draws at
/// most one fault.
public struct ModelFaultRates: Sendable, Hashable {
    /// The probability of each fault per request.
    public var rates: [ModelFault: Double]
    /// The wait a 429 asks for.
    public var retryAfter: Duration
    /// How long a slow answer waits before it starts.
    public var delay: Duration

    public init(_ rates: [ModelFault: Double] = [:], retryAfter: Duration = .milliseconds(20), delay: Duration = .milliseconds(150)) {
        self.rates = rates
        self.retryAfter = retryAfter
        self.delay = delay
    }

    /// No faults: every answer is right.
    public static let none = ModelFaultRates()

    /// Every fault at `rate` each (6 × `rate` of the requests fail or are slow).
    public static func each(_ rate: Double, retryAfter: Duration = .milliseconds(20), delay: Duration = .milliseconds(150)) -> ModelFaultRates {
        ModelFaultRates(Dictionary(uniqueKeysWithValues: ModelFault.allCases.map { ($0, rate) }), retryAfter: retryAfter, delay: delay)
    }

    /// The fault for a draw `x` in 0..<1, in the order of ``ModelFault/allCases``.
    func fault(at x: Double) -> ModelFault? {
        var bound = 0.0
        for fault in ModelFault.allCases {
            bound += max(0, rates[fault] ?? 0)
            if x < bound { return fault }
        }
        return nil
    }
}
