import BatonCore

/// A request that a ``LocalHTTPServer`` received.
public struct ReceivedHTTPRequest: Sendable, Hashable {
    /// `GET`, `POST`, …
    public var method: String
    /// The request target as sent: path and query, e.g. `/v1/chat/completions`.
    public var uri: String
    /// The headers, by lowercased name (the first of repeated ones).
    public var headers: [String: String]
    /// The body's bytes.
    public var body: [UInt8]

    public init(method: String, uri: String, headers: [String: String], body: [UInt8]) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }

    /// The path without the query.
    public var path: String { String(uri.prefix { $0 != "?" }) }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON, or `nil` when it is not JSON.
    public var json: JSON? { try? JSON(parsing: body) }

    /// The header `name` (any case).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}
