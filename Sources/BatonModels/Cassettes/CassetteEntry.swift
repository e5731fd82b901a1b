import BatonCore

/// One recorded exchange, one line of a cassette file:
/// `{"provider", "request": ModelRequest.json, "response": ModelResponse.json}` or, for a failed
/// call, `"error": {"code", …the error's fields}`. No header and no key is ever part of it.
struct CassetteEntry: Sendable, Hashable {
    var provider: String
    var request: JSON
    var outcome: Result<ModelResponse, ModelError>

    var json: JSON {
        var members: [String: JSON] = ["provider": .string(provider), "request": request]
        switch outcome {
        case let .success(response): members["response"] = response.json
        case let .failure(error): members["error"] = Self.encode(error)
        }
        return .object(members)
    }

    init(provider: String, request: JSON, outcome: Result<ModelResponse, ModelError>) {
        self.provider = provider
        self.request = request
        self.outcome = outcome
    }

    /// Reads a line written by ``json``.
    init(json: JSON) throws(CassetteEntryError) {
        guard let request = json["request"], case .object = request else { throw CassetteEntryError("no \"request\" object") }
        self.provider = json["provider"]?.stringValue ?? "cassette"
        self.request = request
        if let response = json["response"] {
            do {
                outcome = .success(try ModelResponse(json: response))
            } catch {
                throw CassetteEntryError("the response cannot be read: \(error)")
            }
        } else if let error = json["error"] {
            outcome = .failure(try Self.decode(error))
        } else {
            throw CassetteEntryError("neither a \"response\" nor an \"error\"")
        }
    }

    /// The error with every field needed to throw it again.
    static func encode(_ error: ModelError) -> JSON {
        var members: [String: JSON] = ["code": .string(error.code)]
        switch error {
        case let .authentication(provider, status, message), let .server(provider, status, message), let .badRequest(provider, status, message):
            members.merge(["provider": .string(provider), "status": .int(status), "message": .string(message)]) { $1 }
        case let .rateLimited(provider, retryAfter, message):
            members.merge(["provider": .string(provider), "message": .string(message)]) { $1 }
            if let retryAfter { members["retry_after_ms"] = .int(retryAfter.wholeMilliseconds) }
        case let .transport(provider, message):
            members.merge(["provider": .string(provider), "message": .string(message)]) { $1 }
        case let .timeout(provider, after):
            members.merge(["provider": .string(provider), "after_ms": .int(after.wholeMilliseconds)]) { $1 }
        case let .malformedResponse(provider, excerpt):
            members.merge(["provider": .string(provider), "excerpt": .string(excerpt)]) { $1 }
        case let .unknownModel(reference, reason):
            members.merge(["reference": .string(reference), "reason": .string(reason)]) { $1 }
        case let .missingKey(provider, variable):
            members.merge(["provider": .string(provider), "variable": .string(variable)]) { $1 }
        }
        return .object(members)
    }

    static func decode(_ json: JSON) throws(CassetteEntryError) -> ModelError {
        let text = { (key: String) in json[key]?.stringValue ?? "" }
        let status = json["status"]?.intValue ?? 0
        switch json["code"]?.stringValue {
        case "model_authentication"?: return .authentication(provider: text("provider"), status: status, message: text("message"))
        case "model_rate_limited"?:
            return .rateLimited(provider: text("provider"), retryAfter: json["retry_after_ms"]?.intValue.map { .milliseconds($0) }, message: text("message"))
        case "model_server_error"?: return .server(provider: text("provider"), status: status, message: text("message"))
        case "model_bad_request"?: return .badRequest(provider: text("provider"), status: status, message: text("message"))
        case "model_transport"?: return .transport(provider: text("provider"), message: text("message"))
        case "model_timeout"?: return .timeout(provider: text("provider"), after: .milliseconds(json["after_ms"]?.intValue ?? 0))
        case "model_malformed_response"?: return .malformedResponse(provider: text("provider"), excerpt: text("excerpt"))
        case "unknown_model"?: return .unknownModel(reference: text("reference"), reason: text("reason"))
        case "model_missing_key"?: return .missingKey(provider: text("provider"), variable: text("variable"))
        default: throw CassetteEntryError("an error with an unknown code: \(json.canonicalString.prefix(120))")
        }
    }
}

/// Why a cassette line is not an exchange.
struct CassetteEntryError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
