import Foundation

/// How a failed node attempt is retried: exponential backoff with jitter, for retryable errors.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; 1 means no retry.
    public var maxAttempts: Int
    /// The wait before the second attempt.
    public var initialBackoff: Duration
    /// Each further wait is the previous one times this.
    public var multiplier: Double
    /// No wait is longer than this.
    public var maxBackoff: Duration
    /// A fraction (0...1) of each wait that is randomised, so that retries of many runs spread out.
    public var jitter: Double
    /// When set, only errors with one of these codes are retried.
    public var retryOn: Set<String>?
    /// Errors with these codes are never retried.
    public var neverRetryOn: Set<String>

    public init(
        maxAttempts: Int = 1, initialBackoff: Duration = .milliseconds(200), multiplier: Double = 2,
        maxBackoff: Duration = .seconds(30), jitter: Double = 0.2, retryOn: Set<String>? = nil,
        neverRetryOn: Set<String> = []
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.multiplier = multiplier
        self.maxBackoff = maxBackoff
        self.jitter = min(max(jitter, 0), 1)
        self.retryOn = retryOn
        self.neverRetryOn = neverRetryOn
    }

    /// No retries.
    public static let none = RetryPolicy()

    /// Whether an attempt that failed with `error` may be followed by attempt `attempt + 1`.
    public func shouldRetry(_ error: NodeError, afterAttempt attempt: Int) -> Bool {
        guard attempt < maxAttempts, error.retryable, !neverRetryOn.contains(error.code) else { return false }
        if let retryOn { return retryOn.contains(error.code) }
        return true
    }

    /// The wait after attempt `attempt` (1-based), with jitter drawn from `random` in 0..<1.
    public func backoff(afterAttempt attempt: Int, random: Double) -> Duration {
        let base = initialBackoff.seconds * pow(multiplier, Double(attempt - 1))
        let capped = min(base, maxBackoff.seconds)
        let jittered = capped * (1 - jitter + jitter * random)
        return .milliseconds(Int64((jittered * 1000).rounded()))
    }
}

extension Duration {
    /// This duration in seconds, as a `Double`.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
