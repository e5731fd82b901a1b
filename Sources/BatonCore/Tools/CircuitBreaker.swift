import Synchronization

/// The circuit breaker of one tool in this process: closed while calls succeed, open for a
/// cooldown after too many consecutive failures, then half-open for exactly one probe call.
final class CircuitBreaker: Sendable {
    enum Admission: Equatable {
        /// Call normally.
        case allowed
        /// Call: this one decides whether the circuit closes again. Others are refused meanwhile.
        case probe
        /// Do not call; try again after this long.
        case refused(retryAfter: Duration)
    }

    private enum Phase {
        case closed(consecutiveFailures: Int)
        case open(until: ContinuousClock.Instant)
        case probing
    }

    let policy: CircuitBreakerPolicy
    private let phase = Mutex(Phase.closed(consecutiveFailures: 0))

    init(policy: CircuitBreakerPolicy) {
        self.policy = policy
    }

    func admit(now: ContinuousClock.Instant = .now) -> Admission {
        phase.withLock { phase in
            switch phase {
            case .closed:
                return .allowed
            case let .open(until) where now < until:
                return .refused(retryAfter: until - now)
            case .open:
                phase = .probing
                return .probe
            case .probing:
                // The probe is in flight: nobody else gets through until it reports.
                return .refused(retryAfter: policy.cooldown)
            }
        }
    }

    /// How an admitted call ended, as far as the tool's health goes.
    enum Report {
        case success
        /// A failure that says the tool is unwell: a timeout, a retryable error, a bad result.
        case failure
        /// A failure that says nothing about the tool's health (the caller's mistake, a refusal the
        /// tool gave on purpose): it neither counts nor clears the failures; a probe that ends so
        /// shows the tool answers, and closes the circuit.
        case neutral
    }

    /// Reports how an admitted call ended. Returns `true` when this report opened the circuit.
    @discardableResult
    func report(_ report: Report, now: ContinuousClock.Instant = .now) -> Bool {
        phase.withLock { phase in
            switch report {
            case .success:
                phase = .closed(consecutiveFailures: 0)
                return false
            case .neutral:
                if case .probing = phase { phase = .closed(consecutiveFailures: 0) }
                return false
            case .failure:
                break
            }
            switch phase {
            case let .closed(failures) where failures + 1 < policy.failureThreshold:
                phase = .closed(consecutiveFailures: failures + 1)
                return false
            case .closed, .probing, .open:
                phase = .open(until: now + policy.cooldown)
                return true
            }
        }
    }
}
