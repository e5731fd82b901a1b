import BatonCore
import Synchronization

/// A bound on how long a database operation may take. The driver can wait for ever on a
/// connection that died in the middle of a query (a server restarted under it); past the
/// deadline the caller gets ``StoreError/unavailable(_:)`` and goes on (a worker then puts the
/// run off and takes it again), while the abandoned operation is cancelled and left to end.
enum Deadline {
    static func run<T: Sendable>(
        within timeout: Duration, location: PostgresLocation, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                race.start(continuation, timeout: timeout, operation: operation) {
                    StoreError.unavailable("PostgreSQL at \(location) did not answer within \(timeout); check the server and the network")
                }
            }
        } onCancel: {
            race.cancel()
        }
    }

    /// The operation against its timer: whichever ends first resumes the caller, once.
    private final class Race<T: Sendable>: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, work: Task<Void, Never>?, timer: Task<Void, Never>?)>((nil, nil, nil))

        func start(
            _ continuation: CheckedContinuation<T, any Error>, timeout: Duration, operation: @escaping @Sendable () async throws -> T,
            timedOut: @escaping @Sendable () -> any Error
        ) {
            state.withLock { $0.continuation = continuation }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled, self.settle(.failure(timedOut())) { self.cancel() }
            }
            let work = Task {
                let result: Result<T, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                _ = self.settle(result)
                timer.cancel()
            }
            state.withLock { state in
                state.work = work
                state.timer = timer
            }
        }

        /// Resumes the caller with `result` unless it was resumed already; says whether it did.
        func settle(_ result: Result<T, any Error>) -> Bool {
            guard let continuation = state.withLock({ state -> CheckedContinuation<T, any Error>? in
                defer { state.continuation = nil }
                return state.continuation
            }) else { return false }
            continuation.resume(with: result)
            return true
        }

        func cancel() {
            state.withLock { $0.work?.cancel() }
        }
    }
}
