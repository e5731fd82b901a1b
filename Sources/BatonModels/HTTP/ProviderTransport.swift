import AsyncHTTPClient
import BatonCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// How a provider exchanges JSON and event streams with its API: one attempt, every failure
/// mapped to a ``ModelError`` with redacted excerpts, no retries.
struct ProviderTransport: Sendable {
    /// The largest answer read, in bytes.
    static let maximumBodySize = 32 << 20
    /// How much of an error answer is read to explain it.
    static let errorBodySize = 64 << 10

    let provider: String
    let http: ModelHTTPClient
    let redactor: SecretRedactor
    let logger: Logger

    init(provider: String, http: ModelHTTPClient, secrets: [String], logger: Logger) {
        self.provider = provider
        self.http = http
        self.redactor = SecretRedactor(secrets: secrets)
        self.logger = logger
    }

    /// A POST of `body` (as JSON) to `url` with `headers`.
    func post(_ url: String, headers: [(String, String)], body: JSON) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "baton/\(Baton.version)")
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body.canonicalBytes))
        return request
    }

    /// Sends `request` and returns the JSON of its successful answer.
    func send(_ request: HTTPClientRequest) async throws -> JSON {
        let started = ContinuousClock.now
        let response = try await execute(request)
        let ok = (200..<300).contains(response.status.code)
        let bytes = try await collect(response.body, limit: ok ? Self.maximumBodySize : Self.errorBodySize)
        log(status: response.status.code, since: started)
        guard ok else { throw failure(status: Int(response.status.code), headers: response.headers, body: bytes) }
        do {
            return try JSON(parsing: bytes)
        } catch {
            throw ModelError.malformedResponse(provider: provider, excerpt: "the answer is not JSON (\(error.reason)): \(redactor.excerpt(bytes))")
        }
    }

    /// Sends `request` and yields the deltas `decoder` reads from its event stream.
    func stream<Decoder: ModelStreamDecoder>(_ request: HTTPClientRequest, decoder: Decoder) -> AsyncThrowingStream<ModelDelta, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await readStream(request, decoder: decoder) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func readStream<Decoder: ModelStreamDecoder>(
        _ request: HTTPClientRequest, decoder: Decoder, yield: (ModelDelta) -> Void
    ) async throws {
        let started = ContinuousClock.now
        let response = try await execute(request)
        guard (200..<300).contains(response.status.code) else {
            let bytes = try await collect(response.body, limit: Self.errorBodySize)
            log(status: response.status.code, since: started)
            throw failure(status: Int(response.status.code), headers: response.headers, body: bytes)
        }
        var decoder = decoder
        var parser = ServerSentEventParser(maximumSize: Self.maximumBodySize)
        var received = 0
        var tail: [UInt8] = []
        func handle(_ events: [ServerSentEventParser.Event]) throws(ModelError) {
            for event in events {
                for delta in try decoder.decode(event) { yield(delta) }
            }
        }
        do {
            for try await chunk in response.body {
                received += chunk.readableBytes
                tail = Array((tail + chunk.readableBytesView).suffix(512))
                try handle(try parser.feed(chunk.readableBytesView))
            }
            try handle(try parser.finish())
        } catch let error as ModelError {
            throw error
        } catch let overflow as ServerSentEventParser.Overflow {
            throw ModelError.malformedResponse(provider: provider, excerpt: overflow.description)
        } catch {
            throw readFailure(error, received: received, tail: tail)
        }
        log(status: response.status.code, since: started)
        guard decoder.isComplete else {
            throw ModelError.malformedResponse(
                provider: provider, excerpt: "the event stream ended before the answer was complete, after \(received) bytes: …\(redactor.excerpt(tail, limit: 160))"
            )
        }
    }

    private func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        do {
            return try await http.client.execute(request, deadline: .distantFuture, logger: logger)
        } catch {
            throw connectFailure(error)
        }
    }

    private func collect(_ body: HTTPClientResponse.Body, limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await chunk in body {
                bytes.append(contentsOf: chunk.readableBytesView)
                if bytes.count > limit {
                    if limit < Self.maximumBodySize { break }
                    throw ModelError.malformedResponse(provider: provider, excerpt: "an answer larger than \(limit >> 20) MiB")
                }
            }
        } catch let error as ModelError {
            throw error
        } catch {
            throw readFailure(error, received: bytes.count, tail: Array(bytes.suffix(512)))
        }
        return bytes
    }

    /// The error of a request that got no answer.
    private func connectFailure(_ error: any Error) -> any Error {
        if let timeout = timeout(error) { return timeout }
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        return ModelError.transport(provider: provider, message: redactor.excerpt(String(describing: error)))
    }

    /// The error of an answer that broke off while it was read.
    private func readFailure(_ error: any Error, received: Int, tail: [UInt8]) -> any Error {
        if let timeout = timeout(error) { return timeout }
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        let last = tail.isEmpty ? "" : ": …" + redactor.excerpt(tail, limit: 160)
        return ModelError.malformedResponse(
            provider: provider, excerpt: "the answer broke off after \(received) bytes (\(redactor.excerpt(String(describing: error), limit: 80)))\(last)"
        )
    }

    private func timeout(_ error: any Error) -> ModelError? {
        guard let error = error as? HTTPClientError else { return nil }
        switch error {
        case .connectTimeout: return .timeout(provider: provider, after: http.timeouts.connect)
        case .readTimeout, .deadlineExceeded: return .timeout(provider: provider, after: http.timeouts.read)
        default: return nil
        }
    }

    /// The error for an answer with a failing status.
    func failure(status: Int, headers: HTTPHeaders, body: [UInt8]) -> ModelError {
        ModelError.forStatus(status, provider: provider, message: message(of: body), retryAfter: RetryAfter.duration(in: headers))
    }

    /// What an error answer says: the `message` of its `error` object (OpenAI, Anthropic), its
    /// `error` text (Ollama), or else the start of the body; redacted.
    func message(of body: [UInt8]) -> String {
        let json = try? JSON(parsing: body)
        let text = json?["error"]?["message"]?.stringValue ?? json?["error"]?.stringValue ?? json?["message"]?.stringValue
        if let text { return redactor.excerpt(text) }
        return body.isEmpty ? "(empty body)" : redactor.excerpt(body)
    }

    private func log(status: UInt, since started: ContinuousClock.Instant) {
        logger.debug("model call", metadata: [
            "provider": "\(provider)", "status": "\(status)",
            "ms": "\((ContinuousClock.now - started).wholeMilliseconds)",
        ])
    }
}
