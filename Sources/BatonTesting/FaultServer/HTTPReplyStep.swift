/// One step of a ``LocalHTTPServer``'s answer to a request.
///
/// A head without `content-length` is sent chunked, so that ``close`` before ``end`` is a body
/// cut short that the client can tell from a complete one.
public enum HTTPReplyStep: Sendable, Hashable {
    /// The status line and headers.
    case head(status: Int, headers: [HeaderField])
    /// Bytes of the body.
    case body([UInt8])
    /// Waits before the next step (a slow or hanging server).
    case pause(Duration)
    /// Ends the response; the connection stays open for the next request.
    case end
    /// Closes the connection as it stands (before ``end``: a response cut short).
    case close
    /// Resets the connection (TCP RST): the client sees "connection reset by peer".
    case reset

    /// A header name and value.
    public struct HeaderField: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Bytes of the body, from text.
    public static func body(_ text: String) -> HTTPReplyStep { .body(Array(text.utf8)) }

    /// A whole response with a declared length: head, body, end.
    public static func complete(status: Int = 200, contentType: String, body: String, headers: [HeaderField] = []) -> [HTTPReplyStep] {
        let fields = [HeaderField("content-type", contentType), HeaderField("content-length", String(body.utf8.count))] + headers
        return [.head(status: status, headers: fields), .body(body), .end]
    }

    /// A whole JSON response.
    public static func json(_ body: String, status: Int = 200, headers: [HeaderField] = []) -> [HTTPReplyStep] {
        complete(status: status, contentType: "application/json", body: body, headers: headers)
    }

    /// The head of an event stream (chunked, no length); the events follow as body steps.
    public static func eventStreamHead(status: Int = 200) -> HTTPReplyStep {
        .head(status: status, headers: [HeaderField("content-type", "text/event-stream"), HeaderField("cache-control", "no-cache")])
    }
}
