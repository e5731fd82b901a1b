import BatonCore
import PostgresNIO
import Synchronization

/// Lets go of the operations on a connection as soon as the connection closes.
///
/// The driver sends a query by writing it to the connection's channel without a promise for the
/// write. On a channel that has already closed (a server restart, with the pool handing out the
/// connection before it has noticed) the write is dropped and the query's own promise is never
/// completed: the caller would wait until its deadline (30 s by default) for an answer that
/// cannot come. The watch registers once per connection for its closing and, when it closes,
/// abandons every operation still running on it with ``StoreError/unavailable(_:)``, which a
/// worker answers by backing off and trying again on a new connection.
final class ConnectionWatch: Sendable {
    private struct State {
        /// The operations in progress, by connection, each with how to abandon it.
        var operations: [Int: [UInt64: @Sendable (any Error) -> Void]] = [:]
        /// The connections whose closing is watched (and which have not closed).
        var watched: Set<Int> = []
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Runs `body`, which uses `connection`; if the connection closes first, `abandon` is called
    /// with the error the caller should get (once; `body` is left to end on its own).
    func whileOpen<T>(
        _ connection: PostgresConnection, location: PostgresLocation, abandon: @escaping @Sendable (any Error) -> Void,
        _ body: () async throws -> T
    ) async throws -> T {
        let connectionID = connection.id
        let (operation, isNew) = state.withLock { state in
            state.nextID &+= 1
            state.operations[connectionID, default: [:]][state.nextID] = abandon
            return (state.nextID, state.watched.insert(connectionID).inserted)
        }
        defer {
            state.withLock { state in
                guard let index = state.operations.index(forKey: connectionID) else { return }
                state.operations.values[index].removeValue(forKey: operation)
            }
        }
        if isNew {
            // Called at once when the connection is already closed.
            connection.closeFuture.whenComplete { [weak self] _ in
                self?.closed(connectionID, location: location)
            }
        }
        return try await body()
    }

    /// Abandons what is running on the connection that closed.
    private func closed(_ connectionID: Int, location: PostgresLocation) {
        let abandoned = state.withLock { state in
            state.watched.remove(connectionID)
            return state.operations.removeValue(forKey: connectionID).map { Array($0.values) } ?? []
        }
        let error = StoreError.unavailable("the connection to PostgreSQL at \(location) was lost in the middle of an operation; try again")
        for abandon in abandoned { abandon(error) }
    }
}
