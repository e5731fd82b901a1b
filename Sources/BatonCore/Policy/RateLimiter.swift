import Synchronization

/// The counts behind `rate_limit` rules: for each key, the times of the actions admitted in the
/// last window (a sliding window, exact to the instant). Thread-safe; one limiter is shared by
/// every decision that should count together (an engine's, or a process's).
///
/// Counts live in this process's memory only. A key whose window has passed is forgotten once
/// the limiter holds ``sweepThreshold`` keys.
///
/// Give it a clock to make tests deterministic:
///
/// ```swift
/// let start = ContinuousClock.now
/// let elapsed = Mutex(Duration.zero)
/// let limiter = RateLimiter(now: { start + elapsed.withLock { $0 } })
/// ```
public final class RateLimiter: Sendable {
    /// What ``admit(_:limit:window:)`` answers.
    public enum Admission: Sendable, Hashable {
        /// Counted; go ahead.
        case admitted
        /// Not counted: `limit` actions were admitted within the window; the oldest of them
        /// leaves it after `retryAfter`.
        case refused(retryAfter: Duration)
    }

    /// How many keys the limiter holds before it forgets those whose window has passed.
    public static let sweepThreshold = 10_000

    private struct Log {
        /// Admission times, oldest first, from `head` on.
        var times: [ContinuousClock.Instant] = []
        var head = 0
        var window: Duration = .zero

        var count: Int { times.count - head }

        /// Forgets the times that left the window, then counts one more if it fits.
        mutating func admit(at instant: ContinuousClock.Instant, limit: Int, window: Duration) -> Admission {
            self.window = window
            while head < times.count, times[head] <= instant - window { head += 1 }
            if head > 32, head * 2 > times.count {
                times.removeFirst(head)
                head = 0
            }
            guard count < limit else {
                let oldest = head < times.count ? times[head] : instant
                return .refused(retryAfter: oldest + window - instant)
            }
            times.append(instant)
            return .admitted
        }
    }

    private let now: @Sendable () -> ContinuousClock.Instant
    /// The logs by key, and how many keys there may be before the next sweep.
    private let state = Mutex<(logs: [String: Log], sweepAt: Int)>(([:], RateLimiter.sweepThreshold))

    /// A limiter on `now` (by default, the continuous clock).
    public init(now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.now = now
    }

    /// Counts one action under `key` if fewer than `limit` were counted in the last `window`;
    /// otherwise refuses it, with how long until one more fits.
    public func admit(_ key: String, limit: Int, window: Duration) -> Admission {
        let instant = now()
        return state.withLock { state in
            if state.logs.count >= state.sweepAt, state.logs[key] == nil {
                // Forget the keys whose newest admission has left its window; sweep again only
                // when the keys still counting have doubled, so that sweeping stays linear.
                state.logs = state.logs.filter { _, log in log.times.last.map { $0 > instant - log.window } ?? false }
                state.sweepAt = max(Self.sweepThreshold, 2 * state.logs.count)
            }
            return state.logs[key, default: Log()].admit(at: instant, limit: limit, window: window)
        }
    }
}
