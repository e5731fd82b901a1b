/// A parser for server-sent events (the `text/event-stream` format of the HTML standard), fed the
/// bytes of a response body in chunks of any size and emitting each complete event.
///
/// It handles `data:` fields over several lines (joined with a line feed), `event:`, `id:` and
/// `retry:`, comments (lines that start with a colon), lines ended by CRLF, LF or CR (a CRLF split
/// across two chunks counts once), a leading byte order mark, and a final event that the stream ends
/// without a blank line after (``finish()``). It is a pure value: no I/O, no clock. The MCP HTTP
/// transport reads its event streams with it, and the model providers their streamed answers.
///
/// ```swift
/// var parser = ServerSentEventParser()
/// for try await chunk in body { for event in try parser.feed(chunk) { handle(event.data) } }
/// for event in try parser.finish() { handle(event.data) }
/// ```
public struct ServerSentEventParser: Sendable {
    /// One dispatched event.
    public struct Event: Sendable, Equatable {
        /// The event type: the last `event:` field, or `message`.
        public var type: String
        /// The `data:` fields of the event, joined with line feeds.
        public var data: String
        /// The last event ID seen so far in the stream (`id:` fields persist across events).
        public var id: String?
        /// The reconnection time the server asked for, in milliseconds, if the event set one.
        public var retry: Int?

        public init(type: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
            self.type = type
            self.data = data
            self.id = id
            self.retry = retry
        }
    }

    /// The stream broke a limit that protects memory.
    public struct Overflow: Error, Sendable, Equatable, CustomStringConvertible {
        /// The limit, in bytes, of one line or one event's data.
        public var limit: Int

        public init(limit: Int) { self.limit = limit }

        public var description: String { "a server-sent event is larger than \(limit) bytes" }
    }

    /// The largest line or event data accepted, in bytes.
    public let maximumSize: Int
    /// The last event ID the stream set, to send back as `Last-Event-ID` when reconnecting.
    public private(set) var lastEventID: String?
    /// The reconnection time, in milliseconds, that the stream last set with `retry:`.
    public private(set) var retry: Int?

    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var eventRetry: Int?
    private var lastByteWasCR = false
    private var isFirstLine = true

    /// Creates a parser; `maximumSize` bounds one line and one event's data (64 MiB by default).
    /// A stream resumed with `Last-Event-ID` starts from that `lastEventID`.
    public init(maximumSize: Int = 64 << 20, lastEventID: String? = nil) {
        self.maximumSize = maximumSize
        self.lastEventID = lastEventID
    }

    /// Feeds the next bytes of the stream and returns the events they complete, in order.
    ///
    /// - Throws: ``Overflow`` when a line or an event's data grows past ``maximumSize``; the parser
    ///   should not be used after that.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(Overflow) -> [Event] {
        var events: [Event] = []
        for byte in bytes {
            switch byte {
            case 0x0A where lastByteWasCR:
                lastByteWasCR = false
            case 0x0A, 0x0D:
                lastByteWasCR = byte == 0x0D
                if let event = try endLine() { events.append(event) }
            default:
                lastByteWasCR = false
                line.append(byte)
                if line.count > maximumSize { throw Overflow(limit: maximumSize) }
            }
        }
        return events
    }

    /// Ends the stream: a last line without its line break is read, and an event left without the
    /// blank line that should follow it is still dispatched.
    ///
    /// - Throws: ``Overflow`` when that last line makes the event's data too large.
    public mutating func finish() throws(Overflow) -> [Event] {
        var events: [Event] = []
        if !line.isEmpty, let event = try endLine() { events.append(event) }
        if let event = dispatch() { events.append(event) }
        return events
    }

    private mutating func endLine() throws(Overflow) -> Event? {
        defer { line.removeAll(keepingCapacity: true) }
        if isFirstLine {
            isFirstLine = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let field = String(decoding: line[..<(colon ?? line.endIndex)], as: UTF8.self)
        var valueStart = colon.map { line.index(after: $0) } ?? line.endIndex
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = line[valueStart...]
        switch field {
        case "data":
            if data.count + (hasData ? 1 : 0) + value.count > maximumSize { throw Overflow(limit: maximumSize) }
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ (0x30...0x39).contains($0) }), let milliseconds = Int(String(decoding: value, as: UTF8.self)) {
                retry = milliseconds
                eventRetry = milliseconds
            }
        default:
            break
        }
        return nil
    }

    /// Dispatches the event being built, if it has data, and starts the next one.
    private mutating func dispatch() -> Event? {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventType = nil
            eventRetry = nil
        }
        guard hasData else { return nil }
        let type = eventType.flatMap { $0.isEmpty ? nil : $0 } ?? "message"
        return Event(type: type, data: String(decoding: data, as: UTF8.self), id: lastEventID, retry: eventRetry)
    }
}
