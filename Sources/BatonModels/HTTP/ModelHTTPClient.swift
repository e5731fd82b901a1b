import AsyncHTTPClient
import NIOCore

/// The HTTP client that model providers share: one connection pool, with the timeouts that decide
/// when a provider that does not answer is a ``ModelError/timeout(provider:after:)``.
///
/// Create one per process (``EnvironmentModelResolver`` makes its own), hand it to every provider,
/// and call ``shutdown()`` once they are done: AsyncHTTPClient requires it before the client is
/// released.
///
/// ```swift
/// let http = ModelHTTPClient()
/// let openai = OpenAIChatProvider(apiKey: key, http: http)
/// defer { Task { try? await http.shutdown() } }
/// ```
public final class ModelHTTPClient: Sendable {
    /// How long to wait for a connection and for each read.
    public struct Timeouts: Sendable, Hashable {
        /// To establish a connection.
        public var connect: Duration
        /// Between two reads of the answer: before its first byte (a non-streamed answer arrives
        /// whole once generated) and between pieces of a stream.
        public var read: Duration

        public init(connect: Duration = .seconds(10), read: Duration = .seconds(300)) {
            self.connect = connect
            self.read = read
        }
    }

    /// The timeouts every request of this client has.
    public let timeouts: Timeouts
    let client: HTTPClient

    public init(timeouts: Timeouts = Timeouts()) {
        self.timeouts = timeouts
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(
            connect: .nanoseconds(timeouts.connect.nanoseconds), read: .nanoseconds(timeouts.read.nanoseconds)
        )
        configuration.decompression = .enabled(limit: .ratio(100))
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connections. Requests in flight fail; the client cannot be used afterwards.
    public func shutdown() async throws {
        try await client.shutdown()
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000
    }

    /// The duration in whole milliseconds.
    var wholeMilliseconds: Int { Int(nanoseconds / 1_000_000) }
}
