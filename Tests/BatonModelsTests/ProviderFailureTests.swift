import BatonCore
@testable import BatonModels
import BatonTesting
import Foundation
import Testing

/// Every way a provider's answer goes wrong maps to the ``ModelError`` that says what to do, and
/// no error ever contains the key (the servers here echo it back to make sure).
@Suite struct ProviderFailureTests {
    enum Provider: String, CaseIterable, Sendable {
        case openAI, anthropic

        var key: String { self == .openAI ? testKey : anthropicTestKey }

        func make(_ server: LocalHTTPServer, _ http: ModelHTTPClient) -> any ModelProvider {
            self == .openAI ? server.openAI(http) : server.anthropic(http)
        }
    }

    enum Failure: String, CaseIterable, Sendable {
        case unauthorized, forbidden, rateLimitedSeconds, rateLimitedDate, rateLimitedMilliseconds, serverError, badRequest
        case invalidJSON, bodyCutShort, streamCutShort, streamWithoutEnd, hangs, hangsMidStream, reset

        /// The client's read timeout: short for the servers that hang, generous for the others so
        /// that a loaded machine does not turn their answers into timeouts.
        var readTimeout: Duration { self == .hangs || self == .hangsMidStream ? .seconds(2) : .seconds(30) }

        /// Whether the failure is met by a streamed request.
        var streams: Bool { [.streamCutShort, .streamWithoutEnd, .hangsMidStream].contains(self) }

        func steps(key: String) -> [HTTPReplyStep] {
            let echo = #"{"error": {"message": "Incorrect API key provided: \#(key). Authorization: Bearer \#(key)", "type": "authentication_error"}}"#
            let start = "data: {\"type\":\"message_start\",\"message\":{\"model\":\"m\",\"usage\":{\"input_tokens\":1}}}\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
            switch self {
            case .unauthorized: return HTTPReplyStep.json(echo, status: 401)
            case .forbidden: return HTTPReplyStep.json(echo, status: 403)
            case .rateLimitedSeconds: return HTTPReplyStep.json(echo, status: 429, headers: [.init("Retry-After", "7")])
            case .rateLimitedDate:
                let date = Date().addingTimeInterval(30)
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = TimeZone(identifier: "GMT")
                formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
                return HTTPReplyStep.json(echo, status: 429, headers: [.init("Retry-After", formatter.string(from: date))])
            case .rateLimitedMilliseconds: return HTTPReplyStep.json(echo, status: 429, headers: [.init("retry-after-ms", "1500"), .init("retry-after", "2")])
            case .serverError: return HTTPReplyStep.json(echo, status: 500)
            case .badRequest: return HTTPReplyStep.json(echo, status: 400)
            case .invalidJSON: return HTTPReplyStep.json("<html>Bad gateway for key \(key)</html>")
            case .bodyCutShort:
                return [.head(status: 200, headers: [.init("content-type", "application/json"), .init("content-length", "500")]), .body(#"{"id": "chatcmpl-1", "choices": [{"#), .close]
            case .streamCutShort: return [HTTPReplyStep.eventStreamHead(), .body(start), .close]
            case .streamWithoutEnd: return [HTTPReplyStep.eventStreamHead(), .body(start), .end]
            case .hangs: return [.pause(.seconds(60))]
            case .hangsMidStream: return [HTTPReplyStep.eventStreamHead(), .body(start), .pause(.seconds(60))]
            case .reset: return [.reset]
            }
        }

        /// Whether `error` is the right one.
        func matches(_ error: ModelError) -> Bool {
            switch (self, error) {
            case let (.unauthorized, .authentication(_, status, _)): return status == 401
            case let (.forbidden, .authentication(_, status, _)): return status == 403
            case let (.rateLimitedSeconds, .rateLimited(_, retryAfter, _)): return retryAfter == .seconds(7)
            // The date is 30 s after the reply was built; a loaded machine can take seconds to read it.
            case let (.rateLimitedDate, .rateLimited(_, retryAfter?, _)): return retryAfter > .seconds(5) && retryAfter <= .seconds(31)
            case let (.rateLimitedMilliseconds, .rateLimited(_, retryAfter, _)): return retryAfter == .milliseconds(1500)
            case let (.serverError, .server(_, status, _)): return status == 500
            case let (.badRequest, .badRequest(_, status, _)): return status == 400
            case let (.invalidJSON, .malformedResponse(_, excerpt)): return excerpt.contains("<html>Bad gateway") && excerpt.count < 400
            case (.bodyCutShort, .malformedResponse), (.streamCutShort, .malformedResponse), (.streamWithoutEnd, .malformedResponse): return true
            case let (.hangs, .timeout(_, after)), let (.hangsMidStream, .timeout(_, after)): return after == .seconds(2)
            case (.reset, .transport): return true
            default: return false
            }
        }
    }

    @Test(arguments: Provider.allCases, Failure.allCases)
    func aFailureMapsToItsErrorWithoutTheKey(_ provider: Provider, _ failure: Failure) async throws {
        try await withModelServer(read: failure.readTimeout, { _ in failure.steps(key: provider.key) }) { server, http in
            let model = provider.make(server, http)
            let request = ModelRequest(model: "m", messages: [.user("Hi")])
            do {
                if failure.streams {
                    _ = try await collect(model.stream(request))
                } else {
                    _ = try await model.complete(request)
                }
                Issue.record("\(failure) did not fail")
            } catch let error as ModelError {
                #expect(failure.matches(error), "\(failure) gave \(error)")
                for text in [error.description, error.json.canonicalString, String(reflecting: error)] {
                    #expect(!text.contains(provider.key), "the key leaked: \(text)")
                    #expect(!text.contains("SECRET"), "part of the key leaked: \(text)")
                }
            }
        }
    }

    @Test(arguments: Provider.allCases)
    func aStreamedRequestRefusedWithAStatusIsThatError(_ provider: Provider) async throws {
        try await withModelServer({ _ in Failure.rateLimitedSeconds.steps(key: provider.key) }) { server, http in
            await #expect {
                _ = try await collect(provider.make(server, http).stream(ModelRequest(model: "m", messages: [.user("Hi")])))
            } throws: { error in
                guard case let .rateLimited(_, retryAfter, message)? = error as? ModelError else { return false }
                return retryAfter == .seconds(7) && !message.contains(provider.key)
            }
        }
    }

    @Test(arguments: Provider.allCases)
    func aRefusedConnectionIsATransportError(_ provider: Provider) async throws {
        let closed = try await LocalHTTPServer.start { _ in [] }
        await closed.shutdown()
        try await withClient(stop: {}) { http in
            await #expect {
                _ = try await provider.make(closed, http).complete(ModelRequest(model: "m", messages: [.user("Hi")]))
            } throws: { error in
                guard case let .transport(_, message)? = error as? ModelError else { return false }
                return !message.contains(provider.key)
            }
        }
    }

    @Test(arguments: Provider.allCases)
    func theProviderDescriptionAndReflectionLeaveTheKeyOut(_ provider: Provider) async throws {
        try await withModelServer({ _ in [] }) { server, http in
            let model = provider.make(server, http)
            var dumped = ""
            dump(model, to: &dumped)
            for text in [String(describing: model), String(reflecting: model), dumped] {
                #expect(!text.contains("SECRET"), "the key leaked: \(text)")
            }
        }
    }
}
