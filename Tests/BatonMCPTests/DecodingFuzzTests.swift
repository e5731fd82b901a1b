import BatonCore
@testable import BatonMCP
import BatonTesting
import Testing

/// Random and mutated bytes fed to everything that reads what a server sends: the SSE parser, the
/// stdio line framer, the JSON-RPC decoder and the readers of tool lists and results. Each must
/// end in a value or a typed error, never a crash, and must not depend on how the bytes were cut
/// into chunks. Seeded, so that a failure can be replayed.
@Suite struct DecodingFuzzTests {
    static let seeds: [String] = [
        #"{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"hi"}],"structuredContent":{"a":1},"isError":false}}"#,
        #"{"jsonrpc":"2.0","id":"x","result":{"tools":[{"name":"t","inputSchema":{"type":"object"},"annotations":{"readOnlyHint":true}}],"nextCursor":"2"}}"#,
        #"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#,
        #"[{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Unknown tool: x","data":[1]}},{"jsonrpc":"2.0","id":3,"method":"ping"}]"#,
        "id: 1\r\nevent: message\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\r\n\r\n: comment\nretry: 10\ndata: a\ndata: b\n\ndata",
        "\u{FEFF}data: é\rid: 2\r\rdata:\n\n",
    ]

    static func mutate(_ input: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            switch Int.random(in: 0..<6, using: &generator) {
            case 0 where !bytes.isEmpty:
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
            case 1:
                let interesting: [UInt8] = [0x00, 0x0A, 0x0D, 0x22, 0x3A, 0x5B, 0x5D, 0x7B, 0x7D, 0x5C, 0xFF, 0xC3, 0xEF]
                bytes.insert(interesting.randomElement(using: &generator) ?? 0, at: Int.random(in: 0...bytes.count, using: &generator))
            case 2 where !bytes.isEmpty:
                bytes.remove(at: Int.random(in: 0..<bytes.count, using: &generator))
            case 3 where !bytes.isEmpty:
                bytes.removeLast(Int.random(in: 0...bytes.count, using: &generator))
            case 4 where !bytes.isEmpty:
                let start = Int.random(in: 0..<bytes.count, using: &generator)
                let end = Int.random(in: start...bytes.count, using: &generator)
                bytes.insert(contentsOf: Array(bytes[start..<end]), at: Int.random(in: 0...bytes.count, using: &generator))
            default:
                bytes += (0..<Int.random(in: 0...16, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
        }
        return bytes
    }

    /// A seed mutated, or plain random bytes.
    static func input(using generator: inout SeededGenerator) -> [UInt8] {
        if Int.random(in: 0..<5, using: &generator) == 0 {
            return (0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        let seed = Array((seeds.randomElement(using: &generator) ?? "").utf8)
        return mutate(seed, using: &generator)
    }

    /// Cuts `bytes` into chunks of random sizes.
    static func chunks(_ bytes: [UInt8], using generator: inout SeededGenerator) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 1...9, using: &generator))
            result.append(bytes[start..<end])
            start = end
        }
        return result
    }

    static func parseEvents(_ chunks: [ArraySlice<UInt8>], maximumSize: Int) -> Result<[ServerSentEventParser.Event], ServerSentEventParser.Overflow> {
        var parser = ServerSentEventParser(maximumSize: maximumSize)
        var events: [ServerSentEventParser.Event] = []
        do {
            for chunk in chunks { events += try parser.feed(chunk) }
        } catch {
            return .failure(error)
        }
        do {
            return .success(events + (try parser.finish()))
        } catch {
            return .failure(error)
        }
    }

    @Test func theServerSentEventParserEndsInEventsOrAnOverflowWhateverTheChunking() {
        var generator = SeededGenerator(seed: 0x5EED_0001)
        for _ in 0..<3000 {
            let bytes = Self.input(using: &generator)
            let maximumSize = Bool.random(using: &generator) ? 1 << 20 : 48
            let whole = Self.parseEvents([bytes[...]], maximumSize: maximumSize)
            let cut = Self.parseEvents(Self.chunks(bytes, using: &generator), maximumSize: maximumSize)
            #expect(whole == cut, "chunking changed the events of \(bytes)")
            if case let .success(events) = whole {
                for event in events {
                    #expect(!event.type.isEmpty)
                    #expect(!event.data.contains("\r"))
                    #expect(event.data.utf8.count <= maximumSize)
                }
            }
        }
    }

    @Test func theLineFramerLosesNoByteWhateverTheChunking() {
        var generator = SeededGenerator(seed: 0x5EED_0002)
        for _ in 0..<3000 {
            let bytes = Self.input(using: &generator)
            var framer = LineFramer()
            var lines: [[UInt8]] = []
            for chunk in Self.chunks(bytes, using: &generator) { lines += framer.append(chunk) }
            let last = framer.finish()
            for line in lines { #expect(!line.contains(0x0A)) }
            // Every line break is accounted for: the lines are the input split at line feeds,
            // less a carriage return ending a line.
            let expected = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0.last == 0x0D ? $0.dropLast() : $0) }
            let got = lines + [last ?? []]
            #expect(got == expected, "framing changed \(bytes)")
        }
    }

    @Test func messageDecodingEndsInMessagesOrATypedError() {
        var generator = SeededGenerator(seed: 0x5EED_0003)
        var decoded = 0
        var rejected = 0
        for _ in 0..<5000 {
            let bytes = Self.input(using: &generator)
            do throws(JSONRPCMessage.DecodingError) {
                let messages = try JSONRPCMessage.decode(bytes)
                #expect(!messages.isEmpty)
                decoded += 1
                for case let .response(_, result) in messages {
                    _ = try? MCPToolResult(called: result)
                    for tool in result["tools"]?.arrayValue ?? [] { _ = try? MCPToolDescriptor(listed: tool) }
                }
            } catch {
                #expect(!error.reason.isEmpty)
                #expect(error.excerpt.count <= 201)
                rejected += 1
            }
        }
        // The mutations reach both outcomes, or the test proves little.
        #expect(decoded > 50)
        #expect(rejected > 50)
    }

    @Test func toolListsAndResultsOfAnyShapeEndInAValueOrATypedError() {
        var generator = SeededGenerator(seed: 0x5EED_0004)
        let leaves: [JSON] = [.null, true, 0, -1.5, "", "text", "data:,x", [], [:]]
        func randomJSON(depth: Int) -> JSON {
            if depth == 0 || Int.random(in: 0..<3, using: &generator) == 0 { return leaves.randomElement(using: &generator) ?? .null }
            if Bool.random(using: &generator) {
                return .array((0..<Int.random(in: 0...3, using: &generator)).map { _ in randomJSON(depth: depth - 1) })
            }
            let keys = ["name", "title", "description", "inputSchema", "outputSchema", "annotations", "content", "structuredContent", "isError", "type", "text", "readOnlyHint"]
            var members: [String: JSON] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &generator) { members[keys.randomElement(using: &generator) ?? "x"] = randomJSON(depth: depth - 1) }
            return .object(members)
        }
        var values = 0
        for _ in 0..<3000 {
            let json = randomJSON(depth: 4)
            do throws(JSONRPCMessage.DecodingError) {
                let tool = try MCPToolDescriptor(listed: json)
                #expect(tool.inputSchema.objectValue != nil)
                values += 1
            } catch {
                #expect(!error.reason.isEmpty)
            }
            do throws(JSONRPCMessage.DecodingError) {
                let result = try MCPToolResult(called: json)
                #expect(result.content == json["content"]?.arrayValue)
                values += 1
            } catch {
                #expect(!error.reason.isEmpty)
            }
        }
        #expect(values > 50)
    }
}
