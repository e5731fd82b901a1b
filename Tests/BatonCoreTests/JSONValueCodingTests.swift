import BatonCore
import Foundation
import Testing

/// The JSON value coders write and read what Foundation's JSON coders do (with ISO 8601 dates),
/// without text in between, and fail with the same kinds of errors.
@Suite struct JSONValueCodingTests {
    enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case square(side: Int)
        case dot
    }

    struct Everything: Codable, Equatable {
        var name: String
        var count: Int
        var small: Int8
        var big: UInt64
        var ratio: Double
        var single: Float
        var flag: Bool
        var missing: String?
        var present: String?
        var list: [Int]
        var nested: [[String]]
        var table: [String: Double]
        var numbered: [Int: String]
        var shapes: [Shape]
        var when: Date
        var bytes: Data
        var link: URL
        var raw: JSON
    }

    static let sample = Everything(
        name: "Ada", count: -42, small: -8, big: 1 << 40, ratio: 2.5, single: 0.25, flag: true, missing: nil, present: "here",
        list: [1, 2, 3], nested: [["a"], [], ["b", "c"]], table: ["x": 1.5], numbered: [1: "one", 20: "twenty"],
        shapes: [.circle(radius: 1.5), .square(side: 2), .dot], when: Date(timeIntervalSince1970: 1_764_000_000),
        bytes: Data([0, 1, 2, 250]), link: URL(string: "https://example.com/a?b=c")!, raw: ["any": [1, "two", nil]]
    )

    static var foundationEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static var foundationDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    @Test func encodingMatchesFoundationsEncoder() throws {
        let ours = try JSONValueEncoder.encode(Self.sample)
        let theirs = try JSON(encoding: Self.sample, using: Self.foundationEncoder)
        #expect(ours == theirs)
        #expect(ours["missing"] == nil)
        #expect(ours["when"] == "2025-11-24T16:00:00Z")
        #expect(ours["numbered"]?["20"] == "twenty")
    }

    @Test func decodingReadsWhatFoundationWrites() throws {
        let json = try JSON(encoding: Self.sample, using: Self.foundationEncoder)
        let ours = try JSONValueDecoder.decode(Everything.self, from: json)
        let theirs = try json.decode(Everything.self, using: Self.foundationDecoder)
        #expect(ours == Self.sample)
        #expect(ours == theirs)
        #expect(try JSONValueDecoder.decode([Shape].self, from: JSONValueEncoder.encode([Shape.dot, .square(side: 3)])) == [.dot, .square(side: 3)])
    }

    @Test func wholeFloatsReadAsIntegersAndFractionsDoNot() throws {
        #expect(try JSONValueDecoder.decode(Int.self, from: .double(3)) == 3)
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Int.self, from: .double(3.5)) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(UInt8.self, from: 300) }
        #expect(try JSONValueDecoder.decode(Double.self, from: 7) == 7)
    }

    @Test func mistakesNameTheirPlace() throws {
        struct Point: Codable { let x: Int; let y: Int }
        struct Path: Codable { let points: [Point] }
        do {
            _ = try JSONValueDecoder.decode(Path.self, from: ["points": [["x": 1, "y": 2], ["x": "three", "y": 4]]])
            Issue.record("a string was read as an integer")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["points", "Index 1", "x"])
        }
        do {
            _ = try JSONValueDecoder.decode(Point.self, from: ["x": 1])
            Issue.record("a missing key was not noticed")
        } catch let DecodingError.keyNotFound(key, _) {
            #expect(key.stringValue == "y")
        }
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Date.self, from: "yesterday") }
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Data.self, from: "not base64!") }
        #expect(throws: EncodingError.self) { try JSONValueEncoder.encode(Double.nan) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder.encode(UInt64.max) }
    }
}
