/// Starts `operation` in a new task that runs on the current thread until it first suspends, so
/// that work which finishes without suspending costs no thread hop (where the platform has
/// `Task.immediate`; elsewhere it is an ordinary task).
package func startImmediately<T: Sendable>(_ operation: sending @escaping @isolated(any) () async throws -> T) -> Task<T, any Error> {
    if #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
        return Task.immediate(operation: operation)
    }
    return Task(operation: operation)
}
