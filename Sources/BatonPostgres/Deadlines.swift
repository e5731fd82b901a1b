import BatonCore
import Synchronization

/// Bounds on how long a store's database operations may take, all kept by one timer.
///
/// The driver can wait for ever on a connection that died in the middle of a query (a server
/// restarted under it); past its deadline the caller gets ``StoreError/unavailable(_:)`` and
/// goes on (a worker then puts the run off and takes it again), while the abandoned operation is
/// cancelled and left to end.
///
/// Each operation runs in a task of its own, so that it can be abandoned; the task starts on the
/// caller's thread, so that the operation is sent without a thread hop. The deadlines are entries
/// that one timer task, running only while there are some, checks every ``resolution``: an
/// operation costs no timer of its own (a timer per operation was a fifth of a step's CPU), and
/// a deadline is kept to within ``resolution``, plenty for bounds of seconds.
final class Deadlines: Sendable {
    /// How often the timer looks for operations past their deadline.
    static let resolution = Duration.milliseconds(100)

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        var timerRunning = false
    }

    private struct Entry {
        let deadline: ContinuousClock.Instant
        let expire: @Sendable () -> Void
    }

    private let state = Mutex(State())

    /// Runs `operation`, or fails with ``StoreError/unavailable(_:)`` once `timeout` has passed.
    /// Cancelling the caller cancels the operation.
    func run<T: Sendable>(
        within timeout: Duration, location: PostgresLocation, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await run(within: timeout, location: location) { _ in try await operation() }
    }

    /// ``run(within:location:_:)`` for an operation that may also give up early: calling the
    /// function it is handed lets the caller go at once with that error (as its deadline would),
    /// leaving the operation to end on its own.
    func run<T: Sendable>(
        within timeout: Duration, location: PostgresLocation,
        _ operation: @escaping @Sendable (_ abandon: @escaping @Sendable (any Error) -> Void) async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        let id = watch(until: .now + timeout) {
            race.expire(StoreError.unavailable("PostgreSQL at \(location) did not answer within \(timeout); check the server and the network"))
        }
        defer { unwatch(id) }
        race.begin { try await operation { [race] error in race.expire(error) } }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<T, any Error>) in
                race.install(continuation)
            }
        } onCancel: {
            race.cancelOperation()
        }
    }

    private func watch(until deadline: ContinuousClock.Instant, _ expire: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, startTimer) = state.withLock { state in
            state.nextID &+= 1
            state.entries[state.nextID] = Entry(deadline: deadline, expire: expire)
            defer { state.timerRunning = true }
            return (state.nextID, !state.timerRunning)
        }
        if startTimer { Task { await self.keepTime() } }
        return id
    }

    private func unwatch(_ id: UInt64) {
        _ = state.withLock { $0.entries.removeValue(forKey: id) }
    }

    /// Expires the entries past their deadline, every ``resolution``, until there are none.
    private func keepTime() async {
        while true {
            try? await Task.sleep(for: Self.resolution)
            let now = ContinuousClock.now
            // The timer stops, under the lock, when nothing is left to watch; the next operation
            // starts another.
            let (expired, stopped) = state.withLock { state -> ([Entry], Bool) in
                let expired = state.entries.filter { $0.value.deadline <= now }
                for id in expired.keys { state.entries.removeValue(forKey: id) }
                if state.entries.isEmpty { state.timerRunning = false }
                return (Array(expired.values), !state.timerRunning)
            }
            for entry in expired { entry.expire() }
            if stopped { return }
        }
    }

    /// The operation against its deadline: whichever ends first resumes the caller, once.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: UnsafeContinuation<T, any Error>?
            var result: Result<T, any Error>?
            var work: Task<Void, any Error>?
        }

        private let state = Mutex(State())

        /// Starts the operation, on this thread until it first suspends.
        func begin(_ operation: @escaping @Sendable () async throws -> T) {
            let work = startImmediately {
                let result: Result<T, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                self.settle(result)
            }
            let settled = state.withLock { state in
                if state.result == nil { state.work = work }
                return state.result != nil
            }
            if settled { work.cancel() }
        }

        /// Waits with `continuation` for the outcome, or resumes it now if there is one.
        func install(_ continuation: UnsafeContinuation<T, any Error>) {
            let settled = state.withLock { state -> Result<T, any Error>? in
                if state.result == nil { state.continuation = continuation }
                return state.result
            }
            if let settled { continuation.resume(with: settled) }
        }

        /// The deadline passed: the caller gets `error` and the operation is cancelled.
        func expire(_ error: any Error) {
            if settle(.failure(error)) { cancelOperation() }
        }

        func cancelOperation() {
            state.withLock { $0.work }?.cancel()
        }

        /// Decides the race with `result` unless it is decided; says whether this decided it.
        @discardableResult
        private func settle(_ result: Result<T, any Error>) -> Bool {
            let (decided, continuation) = state.withLock { state -> (Bool, UnsafeContinuation<T, any Error>?) in
                guard state.result == nil else { return (false, nil) }
                state.result = result
                defer { state.continuation = nil }
                return (true, state.continuation)
            }
            continuation?.resume(with: result)
            return decided
        }
    }
}
