import Synchronization

/// A result that several racers may deliver and one waiter receives: the first delivery wins and
/// the others are ignored. It lets a call end on whichever comes first (the answer, a timeout,
/// the task's cancellation, the server's death) without waiting for the losers.
final class Completion<Value: Sendable>: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Value, any Error>?)
        case resolved(Result<Value, any Error>)
        case delivered
    }

    private let state = Mutex<State>(.waiting(nil))

    /// Delivers `result` unless a result was delivered before, in which case it is ignored.
    func resolve(_ result: Result<Value, any Error>) {
        let continuation: CheckedContinuation<Value, any Error>? = state.withLock { state in
            switch state {
            case let .waiting(continuation?):
                state = .delivered
                return continuation
            case .waiting(nil):
                state = .resolved(result)
                return nil
            case .resolved, .delivered:
                return nil
            }
        }
        continuation?.resume(with: result)
    }

    /// Waits for the first result. Call it once.
    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Value, any Error>? = state.withLock { state in
                switch state {
                case .waiting:
                    state = .waiting(continuation)
                    return nil
                case let .resolved(result):
                    state = .delivered
                    return result
                case .delivered:
                    return .failure(CancellationError())
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
