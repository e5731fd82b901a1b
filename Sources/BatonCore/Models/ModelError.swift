/// Why a model call failed, in terms that say what to do about it.
///
/// Messages never contain an API key: providers redact what they quote from a response.
public enum ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The provider refused the key (HTTP 401/403). Not retried.
    case authentication(provider: String, status: Int, message: String)
    /// Too many requests (HTTP 429); retried after `retryAfter` when the provider says.
    case rateLimited(provider: String, retryAfter: Duration?, message: String)
    /// The provider failed (HTTP 5xx). Retried with backoff, then the next model of a router.
    case server(provider: String, status: Int, message: String)
    /// The provider refused the request as invalid (another 4xx). Not retried.
    case badRequest(provider: String, status: Int, message: String)
    /// The connection failed or was reset. Retried.
    case transport(provider: String, message: String)
    /// No answer in time. Retried.
    case timeout(provider: String, after: Duration)
    /// A body that is not what the provider documents (not JSON, cut short); `excerpt` is redacted.
    case malformedResponse(provider: String, excerpt: String)
    /// A model reference that names no known provider or model.
    case unknownModel(reference: String, reason: String)
    /// The provider needs an API key and none is set.
    case missingKey(provider: String, variable: String)

    /// A stable identifier for events and policies.
    public var code: String {
        switch self {
        case .authentication: return "model_authentication"
        case .rateLimited: return "model_rate_limited"
        case .server: return "model_server_error"
        case .badRequest: return "model_bad_request"
        case .transport: return "model_transport"
        case .timeout: return "model_timeout"
        case .malformedResponse: return "model_malformed_response"
        case .unknownModel: return "unknown_model"
        case .missingKey: return "model_missing_key"
        }
    }

    /// Whether trying the same call again can succeed.
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .server, .transport, .timeout, .malformedResponse: return true
        case .authentication, .badRequest, .unknownModel, .missingKey: return false
        }
    }

    /// Whether the next model of a router should be tried after this failure: provider failures
    /// yes; a bad reference or missing key too (another provider may be configured); a request the
    /// provider refused as invalid, no (the next one would refuse it too).
    public var allowsFallback: Bool {
        if case .badRequest = self { return false }
        return true
    }

    /// How long the provider asked to wait before the next attempt.
    public var retryAfter: Duration? {
        if case let .rateLimited(_, retryAfter, _) = self { return retryAfter }
        return nil
    }

    public var description: String {
        switch self {
        case let .authentication(provider, status, message):
            return "\(provider) refused the API key (HTTP \(status)): \(message). Check the key's environment variable and its permissions."
        case let .rateLimited(provider, retryAfter, message):
            let wait = retryAfter.map { " (it asked to wait \(Self.seconds($0)) s)" } ?? ""
            return "\(provider) is rate-limiting requests\(wait): \(message)"
        case let .server(provider, status, message):
            return "\(provider) failed with HTTP \(status): \(message)"
        case let .badRequest(provider, status, message):
            // Status 0: not an HTTP answer (a script, a cassette, a provider's own check).
            return status == 0 ? "\(provider) cannot answer this request: \(message)" : "\(provider) refused the request (HTTP \(status)): \(message)"
        case let .transport(provider, message):
            return "could not reach \(provider): \(message)"
        case let .timeout(provider, after):
            return "\(provider) did not answer within \(Self.seconds(after)) s"
        case let .malformedResponse(provider, excerpt):
            return "\(provider) sent a response that could not be read: \(excerpt)"
        case let .unknownModel(reference, reason):
            return "unknown model '\(reference)': \(reason)"
        case let .missingKey(provider, variable):
            return "\(provider) needs an API key: set \(variable)"
        }
    }

    /// `duration` in seconds, with milliseconds when it has them: `7`, `0.6`, `1.25`.
    private static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let milliseconds = attoseconds / 1_000_000_000_000_000
        guard milliseconds != 0 else { return "\(whole)" }
        var fraction = String(milliseconds)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }

    /// `{"code", "message", "retryable"}` (and `retry_after_ms` when the provider asked).
    public var json: JSON {
        var members: [String: JSON] = ["code": .string(code), "message": .string(description), "retryable": .bool(isRetryable)]
        if let retryAfter { members["retry_after_ms"] = .int(Int(retryAfter.seconds * 1000)) }
        return .object(members)
    }
}
