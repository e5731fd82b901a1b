import BatonCore

extension ModelError {
    /// The error for an HTTP `status` a provider answered with (or an error a stream reported in
    /// those terms): 401/403 authentication, 429 rate limit, 5xx (and 408, 409) server, any other
    /// 4xx a refused request. `message` must already be redacted.
    static func forStatus(_ status: Int, provider: String, message: String, retryAfter: Duration? = nil) -> ModelError {
        switch status {
        case 401, 403: return .authentication(provider: provider, status: status, message: message)
        case 429: return .rateLimited(provider: provider, retryAfter: retryAfter, message: message)
        case 408, 409, 500...: return .server(provider: provider, status: status, message: message)
        case 400..<500: return .badRequest(provider: provider, status: status, message: message)
        default: return .malformedResponse(provider: provider, excerpt: "an unexpected HTTP \(status): \(message)")
        }
    }
}
