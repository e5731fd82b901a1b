import BatonCore

/// One JSON-RPC 2.0 message as MCP exchanges them, checked for shape before the SDK sees it.
///
/// The transports decode every message a server sends with ``decode(_:)``: a line that is not
/// JSON, or JSON that is not a JSON-RPC message, becomes a ``DecodingError`` (and so an
/// ``MCPClientError/malformedMessage(server:reason:excerpt:)``) instead of being dropped in silence.
/// The HTTP transport also reads its own outgoing messages with it, to learn which requests a
/// response stream has to answer.
enum JSONRPCMessage: Sendable, Equatable {
    /// A request: it has an `id` and expects a response.
    case request(id: JSON, method: String, params: JSON?)
    /// A notification: a method without an `id`.
    case notification(method: String, params: JSON?)
    /// A successful response to the request with this `id`.
    case response(id: JSON, result: JSON)
    /// An error response; `id` is `null` when the peer could not read the request's id.
    case error(id: JSON, code: Int, message: String, data: JSON?)

    /// Why bytes are not a JSON-RPC message.
    struct DecodingError: Error, Sendable, Equatable {
        /// What is wrong, in a few words.
        var reason: String
        /// The start of the offending bytes, as text, for the error message.
        var excerpt: String
    }

    /// The id of a request or response; `nil` for a notification.
    var id: JSON? {
        switch self {
        case let .request(id, _, _), let .response(id, _), let .error(id, _, _, _): return id
        case .notification: return nil
        }
    }

    /// The method of a request or notification; `nil` for a response.
    var method: String? {
        switch self {
        case let .request(_, method, _), let .notification(method, _): return method
        case .response, .error: return nil
        }
    }

    /// Decodes one message, or a batch (a non-empty array of messages), from `bytes`.
    static func decode(_ bytes: [UInt8]) throws(DecodingError) -> [JSONRPCMessage] {
        let json: JSON
        do {
            json = try JSON(parsing: bytes)
        } catch {
            throw DecodingError(reason: "not JSON (\(error.description))", excerpt: excerpt(bytes))
        }
        switch json {
        case let .array(elements):
            guard !elements.isEmpty else { throw DecodingError(reason: "an empty batch", excerpt: excerpt(bytes)) }
            var messages: [JSONRPCMessage] = []
            for element in elements { messages.append(try JSONRPCMessage(element, bytes: bytes)) }
            return messages
        default:
            return [try JSONRPCMessage(json, bytes: bytes)]
        }
    }

    private init(_ json: JSON, bytes: [UInt8]) throws(DecodingError) {
        func fail(_ reason: String) -> DecodingError { DecodingError(reason: reason, excerpt: Self.excerpt(bytes)) }
        guard case let .object(members) = json else { throw fail("not a JSON object") }
        guard members["jsonrpc"] == "2.0" else { throw fail("no \"jsonrpc\": \"2.0\" member") }
        let params = members["params"]
        if let params, !Self.isStructured(params) { throw fail("\"params\" is neither an object nor an array") }
        if let method = members["method"] {
            guard case let .string(name) = method else { throw fail("\"method\" is not a string") }
            guard let id = members["id"] else {
                self = .notification(method: name, params: params)
                return
            }
            guard Self.isValidID(id) else { throw fail("the request id is neither a string nor an integer") }
            self = .request(id: id, method: name, params: params)
            return
        }
        guard let id = members["id"] else { throw fail("neither a method nor an id") }
        if let result = members["result"] {
            guard Self.isValidID(id) else { throw fail("the response id is neither a string nor an integer") }
            self = .response(id: id, result: result)
        } else if case let .object(error)? = members["error"] {
            guard Self.isValidID(id) || id == .null else { throw fail("the error's id is neither a string, an integer nor null") }
            guard case let .int(code)? = error["code"] else { throw fail("the error has no integer \"code\"") }
            guard case let .string(message)? = error["message"] else { throw fail("the error has no string \"message\"") }
            self = .error(id: id, code: code, message: message, data: error["data"])
        } else {
            throw fail("a response with neither a \"result\" nor an \"error\" object")
        }
    }

    private static func isValidID(_ id: JSON) -> Bool {
        switch id {
        case .string, .int: return true
        default: return false
        }
    }

    private static func isStructured(_ json: JSON) -> Bool {
        switch json {
        case .object, .array: return true
        default: return false
        }
    }

    /// The first 200 bytes of `bytes` as text, for error messages.
    static func excerpt(_ bytes: some Collection<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(200), as: UTF8.self)
        return bytes.count > 200 ? text + "…" : text
    }
}
