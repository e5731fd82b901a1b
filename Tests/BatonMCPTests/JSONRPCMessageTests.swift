import BatonCore
@testable import BatonMCP
import Testing

/// What the transports accept from a server, and what they reject with a reason.
@Suite struct JSONRPCMessageTests {
    static func decode(_ text: String) throws(JSONRPCMessage.DecodingError) -> [JSONRPCMessage] {
        try JSONRPCMessage.decode(Array(text.utf8))
    }

    @Test func theFourKindsOfMessageAreRecognised() throws {
        #expect(try Self.decode(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#) == [.request(id: 1, method: "ping", params: nil)])
        #expect(try Self.decode(#"{"jsonrpc":"2.0","method":"notifications/tools/list_changed","params":{}}"#)
            == [.notification(method: "notifications/tools/list_changed", params: [:])])
        #expect(try Self.decode(#"{"jsonrpc":"2.0","id":"a","result":{"tools":[]}}"#) == [.response(id: "a", result: ["tools": []])])
        #expect(try Self.decode(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)
            == [.error(id: .null, code: -32700, message: "Parse error", data: nil)])
    }

    @Test func aBatchIsDecodedInOrder() throws {
        let messages = try Self.decode(#"[{"jsonrpc":"2.0","id":1,"result":{}},{"jsonrpc":"2.0","method":"a"}]"#)
        #expect(messages.map(\.id) == [1, nil])
        #expect(messages.map(\.method) == [nil, "a"])
    }

    @Test(arguments: [
        ("Server started on stdio", "not JSON"),
        ("42", "not a JSON object"),
        ("[]", "an empty batch"),
        (#"{"id":1,"result":{}}"#, "\"jsonrpc\": \"2.0\""),
        (#"{"jsonrpc":"1.0","id":1,"result":{}}"#, "\"jsonrpc\": \"2.0\""),
        (#"{"jsonrpc":"2.0"}"#, "neither a method nor an id"),
        (#"{"jsonrpc":"2.0","id":1}"#, "neither a \"result\" nor an \"error\""),
        (#"{"jsonrpc":"2.0","id":1.5,"result":{}}"#, "neither a string nor an integer"),
        (#"{"jsonrpc":"2.0","id":1,"method":7}"#, "\"method\" is not a string"),
        (#"{"jsonrpc":"2.0","method":"m","params":3}"#, "\"params\""),
        (#"{"jsonrpc":"2.0","id":1,"error":{"code":"bad","message":"m"}}"#, "integer \"code\""),
        (#"{"jsonrpc":"2.0","id":1,"error":{"code":1}}"#, "string \"message\""),
    ])
    func malformedMessagesSayWhatIsWrong(text: String, reason: String) {
        #expect {
            try Self.decode(text)
        } throws: { error in
            guard let error = error as? JSONRPCMessage.DecodingError else { return false }
            return error.reason.contains(reason) && error.excerpt == String(text.prefix(200))
        }
    }

    @Test func aLongExcerptIsCut() {
        let garbage = String(repeating: "x", count: 1000)
        #expect(throws: JSONRPCMessage.DecodingError.self) { try Self.decode(garbage) }
        #expect(JSONRPCMessage.excerpt(Array(garbage.utf8)).count == 201)
    }
}
