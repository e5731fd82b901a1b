import BatonCore
@testable import BatonMCP
import Foundation
import MCP
import Testing

/// The conversion between the SDK's `Value` and `JSON`.
@Suite struct ValueConversionTests {
    @Test func everyKindRoundTrips() {
        let json: JSON = ["null": nil, "bool": true, "int": -7, "double": 2.5, "string": "data is not data:", "array": [1, "two", [3]], "object": ["nested": ["deep": false]]]
        #expect(JSON(MCP.Value(json)) == json)
        #expect(MCP.Value(json).objectValue?["int"] == .int(-7))
        #expect(MCP.Value(json).objectValue?["double"] == .double(2.5))
    }

    @Test func theSDKsDataCaseBecomesItsDataURLString() {
        let value = MCP.Value.data(mimeType: "image/png", Data([0x89, 0x50, 0x4E, 0x47]))
        #expect(JSON(value) == "data:image/png;base64,iVBORw==")
        // A string that looks like a data URL stays a string on the way out.
        #expect(MCP.Value(JSON.string("data:text/plain;base64,aGk=")) == .string("data:text/plain;base64,aGk="))
    }
}
