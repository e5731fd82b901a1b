import BatonCore
import Synchronization

/// A local model server that speaks the OpenAI Chat Completions (`POST /v1/chat/completions`)
/// and the Anthropic Messages (`POST /v1/messages`) formats, streamed or not, and injects faults
/// by a seeded schedule: 429 with `Retry-After`, 500, slow answers, connection resets, answers cut
/// in the middle, and bodies that are not JSON. It proves that what runs on real providers
/// survives their failures.
///
/// ```swift
/// let server = try await FaultInjectingModelServer.start(seed: 7, faults: .each(0.05))
/// let model = OpenAIChatProvider(name: "faulty", baseURL: server.openAIBaseURL, apiKey: "test", http: http)
/// // … run agents on `model` …
/// print(server.injectedCounts)   // [.rateLimit: 11, .reset: 9, …]
/// await server.shutdown()
/// ```
///
/// The fault of each request depends only on the seed and the request's number (its place in
/// the order of arrival), so that a run with the same seed meets the same faults at the same
/// requests. Answers come from `answer` (by default ``echo``).
public final class FaultInjectingModelServer: Sendable {
    /// Scripts the answer to a request (a fault, if one is drawn, replaces or delays it).
    public typealias Answer = @Sendable (ModelServerRequest) -> ModelResponse

    /// What the server did with one request.
    public struct Injection: Sendable, Hashable {
        /// The request's number, from 0 in order of arrival.
        public var number: Int
        public var format: ModelServerRequest.Format
        public var stream: Bool
        /// The fault injected, or `nil` for a right answer.
        public var fault: ModelFault?

        public init(number: Int, format: ModelServerRequest.Format, stream: Bool, fault: ModelFault?) {
            self.number = number
            self.format = format
            self.stream = stream
            self.fault = fault
        }
    }

    /// The seed of the schedule.
    public let seed: UInt64
    /// How often each fault is injected.
    public let faults: ModelFaultRates
    private let server: LocalHTTPServer
    private let log: InjectionLog

    /// The server's root, `http://127.0.0.1:PORT`: the base URL of an Anthropic provider.
    public var baseURL: String { server.baseURL }
    /// `baseURL` + `/v1`: the base URL of an OpenAI-compatible provider.
    public var openAIBaseURL: String { server.baseURL + "/v1" }

    /// What was injected, one entry per request, in order of arrival.
    public var injections: [Injection] { log.injections }

    /// How many times each fault was injected.
    public var injectedCounts: [ModelFault: Int] {
        injections.reduce(into: [:]) { counts, injection in if let fault = injection.fault { counts[fault, default: 0] += 1 } }
    }

    private init(seed: UInt64, faults: ModelFaultRates, server: LocalHTTPServer, log: InjectionLog) {
        self.seed = seed
        self.faults = faults
        self.server = server
        self.log = log
    }

    /// Starts a server on 127.0.0.1 and a free port.
    public static func start(seed: UInt64, faults: ModelFaultRates, answer: @escaping Answer = echo) async throws -> FaultInjectingModelServer {
        let log = InjectionLog()
        let server = try await LocalHTTPServer.start { request in
            respond(to: request, seed: seed, faults: faults, answer: answer, log: log)
        }
        return FaultInjectingModelServer(seed: seed, faults: faults, server: server, log: log)
    }

    /// Stops the server; connections still open are closed.
    public func shutdown() async {
        await server.shutdown()
    }

    /// The fault scheduled for request `number` under `seed` and `faults`.
    public static func scheduledFault(for number: Int, seed: UInt64, faults: ModelFaultRates) -> ModelFault? {
        var generator = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: number) &* 0xD1B5_4A32_D192_ED03))
        return faults.fault(at: Double(generator.next() >> 11) / Double(1 << 53))
    }

    /// The default answer: `echo: ` and the last message's text, with token counts of about a
    /// token per four characters.
    public static let echo: Answer = { request in
        let text = "echo: " + request.lastMessageText
        return ModelResponse(text: text, usage: TokenUsage(input: request.body.canonicalString.count / 4, output: text.count / 4 + 1))
    }

    private static func respond(
        to http: ReceivedHTTPRequest, seed: UInt64, faults: ModelFaultRates, answer: Answer, log: InjectionLog
    ) -> [HTTPReplyStep] {
        let format: ModelServerRequest.Format
        switch (http.method, http.path) {
        case ("POST", "/v1/chat/completions"), ("POST", "/chat/completions"): format = .openAI
        case ("POST", "/v1/messages"): format = .anthropic
        default: return HTTPReplyStep.json(#"{"error": {"message": "no route \#(http.method) \#(http.path)"}}"#, status: 404)
        }
        guard let body = http.json else {
            return HTTPReplyStep.json(ModelAnswerFormat.errorBody(status: 400, message: "the body is not JSON", format: format).canonicalString, status: 400)
        }
        let stream = body["stream"]?.boolValue ?? false
        let injection = log.record { number in
            Injection(number: number, format: format, stream: stream, fault: scheduledFault(for: number, seed: seed, faults: faults))
        }
        let request = ModelServerRequest(number: injection.number, format: format, stream: stream, body: body)
        return steps(for: answer(request), to: request, fault: injection.fault, faults: faults)
    }

    private static func steps(for response: ModelResponse, to request: ModelServerRequest, fault: ModelFault?, faults: ModelFaultRates) -> [HTTPReplyStep] {
        let format = request.format
        let model = request.model
        let events = ModelAnswerFormat.events(response, format: format, model: model, number: request.number)
        let body = ModelAnswerFormat.body(response, format: format, model: model, number: request.number).canonicalString
        let answer = request.stream
            ? [HTTPReplyStep.eventStreamHead()] + events.map(HTTPReplyStep.body) + [.end]
            : HTTPReplyStep.json(body)
        switch fault {
        case nil:
            return answer
        case .slow?:
            return [.pause(faults.delay)] + answer
        case .reset?:
            return [.reset]
        case .rateLimit?:
            let (seconds, attoseconds) = faults.retryAfter.components
            let milliseconds = Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
            let headers = [
                HTTPReplyStep.HeaderField("retry-after", String((milliseconds + 999) / 1000)),
                HTTPReplyStep.HeaderField("retry-after-ms", String(milliseconds)),
            ]
            let error = ModelAnswerFormat.errorBody(status: 429, message: "Rate limit reached (injected fault)", format: format)
            return HTTPReplyStep.json(error.canonicalString, status: 429, headers: headers)
        case .serverError?:
            let error = ModelAnswerFormat.errorBody(status: 500, message: "The server had an error (injected fault)", format: format)
            return HTTPReplyStep.json(error.canonicalString, status: 500)
        case .cutStream?:
            if request.stream {
                return [HTTPReplyStep.eventStreamHead()] + events.prefix(max(1, events.count / 2)).map(HTTPReplyStep.body) + [.close]
            }
            let head = HTTPReplyStep.head(status: 200, headers: [.init("content-type", "application/json"), .init("content-length", String(body.utf8.count))])
            return [head, .body(Array(body.utf8.prefix(body.utf8.count / 2))), .close]
        case .malformed?:
            guard request.stream else { return HTTPReplyStep.json(String(body.prefix(body.count / 2))) }
            let broken = format == .openAI
                ? "data: {\"id\": \"chatcmpl-fault\", \"choices\": [{\"index\": 0, \"delta\": {\"content\": \"tru\n\n"
                : "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", \"index\": 0, \"delta\": {\"ty\n\n"
            return [HTTPReplyStep.eventStreamHead(), .body(events[0]), .body(broken), .end]
        }
    }
}

/// The server's record of requests, shared with its handler.
private final class InjectionLog: Sendable {
    private let entries = Mutex<[FaultInjectingModelServer.Injection]>([])

    var injections: [FaultInjectingModelServer.Injection] { entries.withLock { $0 } }

    /// Numbers the next request and records what `make` decides for it.
    func record(_ make: (Int) -> FaultInjectingModelServer.Injection) -> FaultInjectingModelServer.Injection {
        entries.withLock { entries in
            let injection = make(entries.count)
            entries.append(injection)
            return injection
        }
    }
}
