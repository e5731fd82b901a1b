import BatonCore
import FuzzSupport

/// Feeds arbitrary bytes to the server-sent events parser (`ServerSentEventParser`, which reads
/// model providers' streams and MCP's), and checks what must hold for any input
/// (docs/fuzzing.md):
///
/// - feeding never crashes; it ends in events or an `Overflow` naming the parser's limit;
/// - the outcome does not depend on how the bytes are cut into chunks: the whole input at once,
///   byte by byte, cut in two at eight places spread over it, and in chunks of a size the input
///   picks all give the same events (type, data, id, retry) and the same final `lastEventID`
///   and `retry`;
/// - every event has a type without line breaks, data without a carriage return and within the
///   limit (counted in characters: a byte that is not UTF-8 becomes one U+FFFD), and an id
///   without line breaks or NUL;
/// - writing the events back as a stream (`event:` and one `data:` line per line) and parsing
///   that gives the same types and data.
///
/// The first byte picks the limit: odd, 64 bytes (so that overflows are reached); even, 1 MiB.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServerSentEvents(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let limit = (bytes.first ?? 0) & 1 == 1 ? 64 : 1 << 20
    let whole = parse([bytes[...]], limit: limit)
    invariant(parse(bytes.map { [$0][...] }, limit: limit) == whole, "feeding byte by byte changed the outcome of \(bytes)")
    for index in 1...8 {
        let cut = bytes.count * index / 9
        invariant(parse([bytes[..<cut], bytes[cut...]], limit: limit) == whole, "a cut at \(cut) changed the outcome of \(bytes)")
    }
    let chunk = max(1, Int(bytes.last ?? 1) % 17 + 1)
    let chunks = stride(from: 0, to: bytes.count, by: chunk).map { bytes[$0..<min(bytes.count, $0 + chunk)] }
    invariant(parse(chunks, limit: limit) == whole, "chunks of \(chunk) bytes changed the outcome of \(bytes)")
    guard case let .events(events, _, _) = whole else { return 0 }
    for event in events {
        invariant(!event.type.isEmpty && !event.type.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }), "an event type with a line break: \(event.type.debugDescription)")
        invariant(!event.data.utf8.contains(0x0D), "event data with a carriage return: \(event.data.debugDescription)")
        // The limit counts the bytes received; a byte that is not UTF-8 reads as U+FFFD (three
        // bytes), so the data's characters, not its UTF-8 bytes, are what the limit bounds.
        invariant(event.data.unicodeScalars.count <= limit, "event data of \(event.data.unicodeScalars.count) characters over the limit of \(limit)")
        if let id = event.id { invariant(!id.utf8.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }), "an id with NUL or a line break: \(id.debugDescription)") }
    }
    var written: [UInt8] = []
    for event in events {
        written += Array("event: \(event.type)\n".utf8)
        for line in Array(event.data.utf8).split(separator: 0x0A, omittingEmptySubsequences: false) { written += Array("data: ".utf8) + line + [0x0A] }
        written.append(0x0A)
    }
    if case let .events(again, _, _) = parse([written[...]], limit: 1 << 30) {
        invariant(again.map(\.type) == events.map(\.type) && again.map(\.data) == events.map(\.data), "the events written back parse differently:\n\(written)")
    } else {
        invariant(false, "the events written back overflow")
    }
    return 0
}

@_cdecl("SSEFuzz_main")
public func sseFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzServerSentEvents)
}

/// What feeding a stream gives: its events and the parser's final state, or an overflow.
enum Outcome: Equatable {
    case events([ServerSentEventParser.Event], lastEventID: String?, retry: Int?)
    case overflow(limit: Int)
}

/// Feeds `chunks` in order, then ends the stream.
func parse(_ chunks: [ArraySlice<UInt8>], limit: Int) -> Outcome {
    var parser = ServerSentEventParser(maximumSize: limit)
    var events: [ServerSentEventParser.Event] = []
    do {
        for chunk in chunks { events += try parser.feed(chunk) }
        events += try parser.finish()
    } catch {
        invariant(error.limit == limit, "an overflow names \(error.limit), not the limit \(limit)")
        return .overflow(limit: error.limit)
    }
    return .events(events, lastEventID: parser.lastEventID, retry: parser.retry)
}
