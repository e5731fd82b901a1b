import Synchronization

/// Trips once, with the error that ended a session, and tells everyone who is listening: the
/// calls in flight fail with that error at once instead of waiting for answers that cannot come.
final class Tripwire: Sendable {
    private struct State {
        var error: MCPClientError?
        var listeners: [Int: @Sendable (MCPClientError) -> Void] = [:]
        var nextToken = 0
    }

    private let state = Mutex(State())

    /// The error it tripped with, if it has.
    var error: MCPClientError? { state.withLock { $0.error } }

    /// Trips with `error` and calls every listener; returns false (and does nothing) if it had
    /// already tripped.
    @discardableResult
    func trip(_ error: MCPClientError) -> Bool {
        let listeners: [@Sendable (MCPClientError) -> Void]? = state.withLock { state in
            guard state.error == nil else { return nil }
            state.error = error
            defer { state.listeners = [:] }
            return Array(state.listeners.values)
        }
        guard let listeners else { return false }
        for listener in listeners { listener(error) }
        return true
    }

    /// Calls `listener` when it trips (at once if it has); returns a token for ``remove(_:)``.
    func listen(_ listener: @escaping @Sendable (MCPClientError) -> Void) -> Int {
        let (token, tripped): (Int, MCPClientError?) = state.withLock { state in
            state.nextToken += 1
            if let error = state.error { return (state.nextToken, error) }
            state.listeners[state.nextToken] = listener
            return (state.nextToken, nil)
        }
        if let tripped { listener(tripped) }
        return token
    }

    /// Stops calling the listener registered under `token`.
    func remove(_ token: Int) {
        _ = state.withLock { $0.listeners.removeValue(forKey: token) }
    }
}
