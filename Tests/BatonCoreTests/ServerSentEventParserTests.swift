import BatonCore
import Testing

/// The server-sent events parser, on the cases of the HTML standard that MCP servers and model
/// providers produce.
@Suite struct ServerSentEventParserTests {
    typealias Event = ServerSentEventParser.Event

    /// Feeds `text` in chunks of `chunkSize` bytes, then ends the stream.
    static func parse(_ text: String, chunkSize: Int = .max) throws -> [Event] {
        var parser = ServerSentEventParser()
        var events: [Event] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunkSize)
            events += try parser.feed(bytes[start..<end])
            start = end
        }
        return events + (try parser.finish())
    }

    /// Fuzz finding `Fuzz/crashes/sse/invalid-utf8-data-at-the-limit.bin`: data that is not UTF-8
    /// reads as U+FFFD, three bytes each, so the limit bounds the bytes received (and the data's
    /// characters), not the UTF-8 size of the decoded text.
    @Test func dataThatIsNotUTF8ReadsAsReplacementCharactersWithinTheLimit() throws {
        var parser = ServerSentEventParser(maximumSize: 64)
        let bytes = Array("data:".utf8) + Array(repeating: 0xAC, count: 55) + [0x0A, 0x0A]
        let events = try parser.feed(bytes)
        #expect(events.count == 1)
        #expect(events.first?.data.unicodeScalars.count == 55)
        #expect(events.first?.data.utf8.count == 165)
        #expect(events.first?.data.unicodeScalars.allSatisfy { $0 == "\u{FFFD}" } == true)
        var small = ServerSentEventParser(maximumSize: 64)
        #expect(throws: ServerSentEventParser.Overflow.self) {
            _ = try small.feed(Array("data:".utf8) + Array(repeating: 0xAC, count: 65) + [0x0A])
        }
    }

    @Test func dataOverSeveralLinesIsJoinedWithLineFeeds() throws {
        let events = try Self.parse("data: first\ndata: second\ndata:third\n\n")
        #expect(events == [Event(type: "message", data: "first\nsecond\nthird", id: nil, retry: nil)])
    }

    @Test func eventTypeAndIDAreReadAndTheIDPersists() throws {
        let events = try Self.parse("event: ping\nid: 7\ndata: {}\n\ndata: next\n\nid\ndata: cleared\n\n")
        #expect(events == [
            Event(type: "ping", data: "{}", id: "7", retry: nil),
            Event(type: "message", data: "next", id: "7", retry: nil),
            Event(type: "message", data: "cleared", id: "", retry: nil),
        ])
    }

    @Test func commentsAndUnknownFieldsAreIgnored() throws {
        let events = try Self.parse(": keep-alive\nfoo: bar\ndata: x\n: in the middle\n\n:\n\n")
        #expect(events == [Event(type: "message", data: "x", id: nil, retry: nil)])
    }

    @Test(arguments: ["\r\n", "\n", "\r"])
    func everyLineEndingWorks(_ ending: String) throws {
        let text = ["event: message", "data: {\"a\":1}", "data: {\"b\":2}", "", "data: two", "", ""].joined(separator: ending)
        let events = try Self.parse(text)
        #expect(events.map(\.data) == ["{\"a\":1}\n{\"b\":2}", "two"])
    }

    @Test func chunkBoundariesAnywhereGiveTheSameEvents() throws {
        let text = "id: 1\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\r\n\r\nevent: message\r\ndata: é ✓\r\n\r\n"
        let whole = try Self.parse(text)
        #expect(whole.count == 2)
        for size in 1...8 { #expect(try Self.parse(text, chunkSize: size) == whole) }
    }

    @Test func aCRLFSplitAcrossChunksIsOneLineBreak() throws {
        var parser = ServerSentEventParser()
        var events = try parser.feed(Array("data: a\r".utf8))
        events += try parser.feed(Array("\n\r".utf8))
        events += try parser.feed(Array("\ndata: b\n\n".utf8))
        #expect(events.map(\.data) == ["a", "b"])
    }

    @Test func aFinalEventWithoutABlankLineIsStillDispatched() throws {
        #expect(try Self.parse("data: last") .map(\.data) == ["last"])
        #expect(try Self.parse("data: last\n").map(\.data) == ["last"])
        #expect(try Self.parse("data: a\n\ndata: last\r\n").map(\.data) == ["a", "last"])
    }

    @Test func anEmptyDataFieldMakesAnEmptyEventAndNoDataMakesNone() throws {
        let events = try Self.parse("id: 1\ndata:\nretry: 100\n\nid: 2\n\nevent: lonely\n\n")
        #expect(events == [Event(type: "message", data: "", id: "1", retry: 100)])
    }

    @Test func retryMustBeDigitsAndOnlyOneSpaceIsStripped() throws {
        var parser = ServerSentEventParser()
        _ = try parser.feed(Array("retry: 1x\ndata:  two spaces\n\nretry: 2500\ndata: x\n\n".utf8))
        #expect(parser.retry == 2500)
        let events = try Self.parse("data:  two spaces\n\n")
        #expect(events.first?.data == " two spaces")
    }

    @Test func aByteOrderMarkAtTheStartIsDropped() throws {
        let events = try Self.parse("\u{FEFF}data: after the mark\n\n")
        #expect(events.map(\.data) == ["after the mark"])
    }

    @Test func anIDWithANullIsIgnoredAndAResumedStreamKeepsItsID() throws {
        var parser = ServerSentEventParser(lastEventID: "41")
        let events = try parser.feed(Array("id: a\u{0}b\ndata: x\n\n".utf8))
        #expect(events.first?.id == "41")
        #expect(parser.lastEventID == "41")
    }

    @Test func anOversizedLineOrEventIsAnError() throws {
        var parser = ServerSentEventParser(maximumSize: 16)
        #expect(throws: ServerSentEventParser.Overflow(limit: 16)) { try parser.feed(Array("data: 0123456789abcdef\n".utf8)) }
        var events = ServerSentEventParser(maximumSize: 16)
        #expect(throws: ServerSentEventParser.Overflow(limit: 16)) { try events.feed(Array("data: 0123456789\ndata: 0123456789\n\n".utf8)) }
    }
}
