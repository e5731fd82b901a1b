import Synchronization

/// Runs `body`, failing with ``NodeError/timeout(_:)`` if it takes longer than `limit`.
///
/// The caller gets control back when the limit passes even if `body` ignores cancellation (a
/// hung tool, a blocking call): `body` runs in its own task, which is cancelled and left to end
/// on its own. Cancelling the caller cancels `body` the same way.
///
/// `body` starts at once on the caller's thread and runs there until it first suspends, so a
/// body that finishes without suspending (a calculation, a cached answer) costs no thread hop,
/// no timer and no wait; the timer is only started for a body that suspends.
func withTimeout<T: Sendable>(_ limit: Duration?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let limit else { return try await body() }
    let deadline = ContinuousClock.now + limit
    let race = TimeoutRace<T>()
    let running = startImmediately {
        do {
            race.finish(.success(try await body()))
        } catch {
            race.finish(.failure(error))
        }
    }
    if let outcome = race.outcome {
        // Finished without suspending; a caller cancelled meanwhile gets its cancellation.
        if Task.isCancelled { throw CancellationError() }
        return try outcome.get()
    }
    race.attach(running)
    return try await withTaskCancellationHandler {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<T, any Error>) in
            race.install(continuation)
            if race.outcome == nil {
                race.attach(Task {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    race.finish(.failure(NodeError.timeout(limit)))
                })
            }
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// The first of the body, the timer and a cancellation to finish decides; the others are cancelled.
private final class TimeoutRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: UnsafeContinuation<T, any Error>?
        var outcome: Result<T, any Error>?
        var tasks: [Task<Void, any Error>] = []
    }

    private let state = Mutex(State())

    /// How the race was decided, or `nil` while it runs.
    var outcome: Result<T, any Error>? { state.withLock { $0.outcome } }

    func install(_ continuation: UnsafeContinuation<T, any Error>) {
        let decided = state.withLock { state -> Result<T, any Error>? in
            if let outcome = state.outcome { return outcome }
            state.continuation = continuation
            return nil
        }
        if let decided { continuation.resume(with: decided) }
    }

    /// Keeps `task` to cancel when the race is decided, or cancels it now if it already is.
    func attach(_ task: Task<Void, any Error>) {
        let decided = state.withLock { state -> Bool in
            if state.outcome != nil { return true }
            state.tasks.append(task)
            return false
        }
        if decided { task.cancel() }
    }

    func finish(_ outcome: Result<T, any Error>) {
        let (continuation, tasks) = state.withLock { state -> (UnsafeContinuation<T, any Error>?, [Task<Void, any Error>]) in
            guard state.outcome == nil else { return (nil, []) }
            state.outcome = outcome
            defer {
                state.continuation = nil
                state.tasks = []
            }
            return (state.continuation, state.tasks)
        }
        for task in tasks { task.cancel() }
        continuation?.resume(with: outcome)
    }
}
