import Foundation

/// Runs `body` on a thread of its own and waits for it without holding a thread of the
/// concurrency pool.
///
/// Tests run side by side on a pool with one thread per core; a test that computes for seconds
/// without suspending (a large schema, a long file, a fuzz loop) holds one of them, and on a small
/// machine every timer and network read of the other tests waits behind it. Give such work its
/// own thread.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
