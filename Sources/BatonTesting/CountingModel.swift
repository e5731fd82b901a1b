import BatonCore
import Synchronization

/// A model provider around another that counts the calls that reach it, and can fail the first
/// `failures` of them with `error`: for tests that check which calls reached the model (none after
/// a crash and resume, none that a budget or a policy refused).
public final class CountingModel: ModelProvider {
    public let inner: any ModelProvider
    public let failures: Int
    public let error: ModelError
    private let calls = Mutex(0)
    public let name: String

    public init(_ inner: any ModelProvider, failures: Int = 0, error: ModelError = .server(provider: "test", status: 500, message: "down")) {
        self.inner = inner
        self.failures = failures
        self.error = error
        self.name = inner.name
    }

    /// How many calls reached it (failed ones included).
    public var count: Int { calls.withLock { $0 } }

    public func complete(_ request: ModelRequest) async throws -> ModelResponse {
        let call = calls.withLock { $0 += 1; return $0 }
        if call <= failures { throw error }
        return try await inner.complete(request)
    }
}
