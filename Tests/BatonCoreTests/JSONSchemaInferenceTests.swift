import Foundation
import Testing

import BatonCore

// MARK: - Types to infer

private struct AddArguments: Codable {
    let a: Int
    let b: Int
}

private struct Primitives: Codable {
    let flag: Bool
    let name: String
    let count: Int
    let ratio: Double
    let scale: Float
    let small: UInt8
    let offset: Int16
    let big: UInt64
}

private struct Optionals: Codable {
    let id: String
    let limit: Int?
    let tags: [String]?
}

private struct Address: Codable {
    let street: String
    let city: String
}

private struct Person: Codable {
    let name: String
    let address: Address
    let previous: [Address]
    let scores: [String: Double]
    let byYear: [Int: String]
    let matrix: [[Int]]
    let nicknames: Set<String>
}

private enum Unit: String, Codable, CaseIterable, SchemaDescribed {
    case celsius, fahrenheit

    static let schemaDescription = "A temperature scale."
    static let propertyHints: [String: [SchemaHint]] = [:]
}

private enum Priority: Int, Codable, CaseIterable {
    case low = 1, high = 5
}

private struct Forecast: Codable {
    let unit: Unit
    let priority: Priority?
    let units: [Unit]
}

private enum Direction: String, Codable {  // not CaseIterable
    case north, south
}

private struct Heading: Codable {
    let direction: Direction
}

private enum Shape: Codable, Equatable {  // associated values
    case circle(radius: Double)
    case square(side: Double)
}

private struct Drawing: Codable {
    let shape: Shape
}

private struct Stamped: Codable {
    let at: Date
    let link: URL
    let id: UUID
    let payload: Data
    let amount: Decimal
}

private struct TreeNode: Codable, Equatable {
    let name: String
    let children: [TreeNode]
}

private struct Comment: Codable {
    let text: String
    let replies: [Comment]
}

private struct Discussion: Codable {
    let title: String
    let first: Comment
    let pinned: Comment?
}

private final class Link: Codable {
    let value: Int
    let next: Link?
}

private final class EndlessLink: Decodable {
    let next: EndlessLink
}

private struct SearchArguments: Codable, SchemaDescribed {
    let query: String
    let limit: Int?

    static let schemaDescription = "A web search."
    static let propertyHints: [String: [SchemaHint]] = [
        "query": ["What to search for", .minLength(1), .pattern("\\S")],
        "limit": ["How many results at most", .minimum(1), .maximum(50)],
    ]
}

private struct MisspeltHints: Codable, SchemaDescribed {
    let query: String

    static let propertyHints: [String: [SchemaHint]] = ["qurey": ["What to search for"]]
}

/// Decodes "21.5C" and "70F"; rejects the placeholder "x".
private struct Temperature: Codable, Equatable, JSONSchemaProviding {
    var celsius: Double

    init(celsius: Double) {
        self.celsius = celsius
    }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let unit = text.last, let number = Double(text.dropLast()), unit == "C" || unit == "F" else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a temperature: \(text)"))
        }
        celsius = unit == "C" ? number : (number - 32) * 5 / 9
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode("\(celsius)C")
    }

    static var jsonSchema: JSON {
        ["type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?[CF]$", "examples": ["21.5C"]]
    }
}

private struct Reading: Codable {
    let place: String
    let temperature: Temperature
}

/// Like `Temperature`, but its schema has no example.
private struct Pressure: Decodable, JSONSchemaProviding {
    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard text.hasSuffix("hPa") else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a pressure: \(text)"))
        }
    }

    static var jsonSchema: JSON { ["type": "string", "pattern": "hPa$"] }
}

private struct Barometer: Decodable {
    let pressure: Pressure
}

private struct OptionalBarometer: Decodable {
    let pressure: Pressure?
}

/// Different JSON keys from its property names, a nested container, and `contains`.
private struct Event: Codable {
    let title: String
    let latitude: Double
    let longitude: Double
    let notes: String

    enum CodingKeys: String, CodingKey {
        case title = "event_title", location, notes
    }

    enum LocationKeys: String, CodingKey {
        case lat, lng
    }

    init(title: String, latitude: Double, longitude: Double, notes: String) {
        self.title = title
        self.latitude = latitude
        self.longitude = longitude
        self.notes = notes
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        let location = try container.nestedContainer(keyedBy: LocationKeys.self, forKey: .location)
        latitude = try location.decode(Double.self, forKey: .lat)
        longitude = try location.decode(Double.self, forKey: .lng)
        notes = container.contains(.notes) ? try container.decode(String.self, forKey: .notes) : ""
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(title, forKey: .title)
        var location = container.nestedContainer(keyedBy: LocationKeys.self, forKey: .location)
        try location.encode(latitude, forKey: .lat)
        try location.encode(longitude, forKey: .lng)
        if !notes.isEmpty { try container.encode(notes, forKey: .notes) }
    }
}

/// A point written as `[x, y]`.
private struct Point: Codable {
    let x: Double
    let y: Double

    init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        x = try container.decode(Double.self)
        y = try container.decode(Double.self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(x)
        try container.encode(y)
    }
}

private struct Polyline: Codable {
    let points: [Point]
}

private struct Anything: Codable {
    let payload: JSON
    let extra: JSON?
}

private struct NoArguments: Codable {}

private struct WeirdKeys: Decodable {
    let table: [UUID: String]
}

/// A property wrapper and a wrapper type decoding a single value.
private struct Identifier: Codable, Hashable {
    let raw: String

    init(raw: String) {
        self.raw = raw
    }

    init(from decoder: any Decoder) throws {
        raw = try decoder.singleValueContainer().decode(String.self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(raw)
    }
}

private struct Lookup: Codable {
    let ids: [Identifier]
    let primary: Identifier
}

private struct Wide: Codable {
    let signed: Int128
    let unsigned: [UInt128]
    let maybe: Int128?
}

private class Account: Codable {
    let id: Int

    init(id: Int) {
        self.id = id
    }
}

/// Decodes its superclass from the `super` member.
private final class Admin: Account {
    let role: String

    private enum CodingKeys: String, CodingKey {
        case role
    }

    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(String.self, forKey: .role)
        try super.init(from: container.superDecoder())
    }
}

/// Decodes its superclass from the same object.
private final class Guest: Account {
    let invitedBy: String

    private enum CodingKeys: String, CodingKey {
        case invitedBy
    }

    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        invitedBy = try container.decode(String.self, forKey: .invitedBy)
        try super.init(from: decoder)
    }
}

private struct Box<Value: Codable>: Codable {
    let value: Value
    let more: [Box<Value>]
}

private struct Shelf: Codable {
    let box: Box<Int>
}

/// Reads whatever keys the object has, each an integer.
private struct Tally: Decodable {
    let counts: [String: Int]

    private struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        var counts: [String: Int] = [:]
        for key in container.allKeys {
            counts[key.stringValue] = try container.decode(Int.self, forKey: key)
        }
        self.counts = counts
    }
}

// MARK: - Tests

@Suite("JSONSchemaInference")
struct JSONSchemaInferenceTests {
    // MARK: - Helpers

    /// The inferred schema, after checking that it compiles.
    private func compiled<T: Decodable>(_ type: T.Type) throws -> (source: JSON, schema: JSONSchema) {
        let source = try JSONSchemaInference.schema(for: type)
        return (source, try JSONSchema(source))
    }

    /// `value` as `encoder` writes it.
    private func encoded(_ value: some Encodable, with encoder: JSONEncoder = JSONEncoder()) throws -> JSON {
        try JSON(parsing: Array(try encoder.encode(value)))
    }

    private func messages(_ schema: JSONSchema, _ instance: JSON) -> [String] {
        schema.validate(instance).errors.map(\.message)
    }

    private func inferenceError<T: Decodable>(_ type: T.Type) -> SchemaInferenceError? {
        do {
            _ = try JSONSchemaInference.schema(for: type)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Objects and primitives

    @Test func flatStructIsAClosedObjectWithRequiredMembers() throws {
        let (source, schema) = try compiled(AddArguments.self)
        #expect(
            source == [
                "type": "object",
                "properties": ["a": ["type": "integer"], "b": ["type": "integer"]],
                "required": ["a", "b"],
                "additionalProperties": false,
            ])
        #expect(schema.isValid(try JSON(encoding: AddArguments(a: 1, b: 2))))
        #expect(messages(schema, ["a": 1]) == ["missing required property 'b'"])
        #expect(messages(schema, ["a": 1, "b": "2"]) == [#"expected integer, got string "2""#])
        #expect(
            messages(schema, ["a": 1, "b": 2, "c": 3])
                == ["property 'c' is not allowed; the allowed properties are 'a', 'b'"])
    }

    @Test func primitivesAndIntegerBounds() throws {
        let (source, schema) = try compiled(Primitives.self)
        let properties = source["properties"]
        #expect(properties?["flag"] == ["type": "boolean"])
        #expect(properties?["name"] == ["type": "string"])
        #expect(properties?["count"] == ["type": "integer"])
        #expect(properties?["ratio"] == ["type": "number"])
        #expect(properties?["scale"] == ["type": "number"])
        #expect(properties?["small"] == ["type": "integer", "minimum": 0, "maximum": 255])
        #expect(properties?["offset"] == ["type": "integer", "minimum": -32768, "maximum": 32767])
        #expect(properties?["big"] == ["type": "integer", "minimum": 0])
        #expect(source["required"] == ["flag", "name", "count", "ratio", "scale", "small", "offset", "big"])

        let value = Primitives(flag: true, name: "n", count: -3, ratio: 0.5, scale: 2, small: 200, offset: -5, big: 7)
        var instance = try #require(try JSON(encoding: value).objectValue)
        #expect(schema.isValid(.object(instance)))
        instance["small"] = 256
        #expect(messages(schema, .object(instance)) == ["must be at most 255"])
        instance["small"] = 1
        instance["count"] = 1.5
        #expect(messages(schema, .object(instance)) == ["expected integer, got number 1.5"])
    }

    @Test func optionalMembersMayBeAbsentOrNull() throws {
        let (source, schema) = try compiled(Optionals.self)
        #expect(source["required"] == ["id"])
        #expect(source["properties"]?["limit"] == ["type": ["integer", "null"]])
        #expect(source["properties"]?["tags"] == ["type": ["array", "null"], "items": ["type": "string"]])
        #expect(schema.isValid(try JSON(encoding: Optionals(id: "a", limit: nil, tags: nil))))
        #expect(schema.isValid(try JSON(encoding: Optionals(id: "a", limit: 3, tags: ["x"]))))
        #expect(schema.isValid(["id": "a", "limit": nil, "tags": nil]))
        #expect(!schema.isValid(["limit": 3]))
        #expect(!schema.isValid(["id": "a", "tags": [1]]))
    }

    @Test func nestedTypesCollectionsAndDictionaries() throws {
        let (source, schema) = try compiled(Person.self)
        let address: JSON = [
            "type": "object",
            "properties": ["street": ["type": "string"], "city": ["type": "string"]],
            "required": ["street", "city"],
            "additionalProperties": false,
        ]
        let properties = source["properties"]
        #expect(properties?["address"] == address)
        #expect(properties?["previous"] == ["type": "array", "items": address])
        #expect(properties?["scores"] == ["type": "object", "additionalProperties": ["type": "number"]])
        #expect(
            properties?["byYear"]
                == ["type": "object", "additionalProperties": ["type": "string"], "propertyNames": ["pattern": "^-?[0-9]+$"]])
        #expect(properties?["matrix"] == ["type": "array", "items": ["type": "array", "items": ["type": "integer"]]])
        #expect(properties?["nicknames"] == ["type": "array", "items": ["type": "string"]])

        let home = Address(street: "1 Main St", city: "Springfield")
        let person = Person(
            name: "Ada", address: home, previous: [home], scores: ["math": 9.5], byYear: [1843: "notes"],
            matrix: [[1, 2], [3]], nicknames: ["Countess"])
        var instance = try #require(try JSON(encoding: person).objectValue)
        #expect(schema.isValid(.object(instance)))

        instance["address"] = ["street": "1 Main St", "city": "Springfield", "zip": "12345"]
        #expect(
            schema.validate(.object(instance)).errors.map(\.instancePath) == ["/address/zip"])
        instance["address"] = ["street": "1 Main St"]
        #expect(messages(schema, .object(instance)) == ["missing required property 'city'"])
        instance["address"] = try JSON(encoding: home)
        instance["byYear"] = ["year 1843": "notes"]
        #expect(!schema.isValid(.object(instance)))
        instance["byYear"] = [:]
        instance["scores"] = ["math": "A"]
        #expect(schema.validate(.object(instance)).errors.map(\.instancePath) == ["/scores/math"])
    }

    @Test func wrapperTypesDecodingASingleValue() throws {
        let (source, schema) = try compiled(Lookup.self)
        #expect(source["properties"]?["primary"] == ["type": "string"])
        #expect(source["properties"]?["ids"] == ["type": "array", "items": ["type": "string"]])
        #expect(schema.isValid(try JSON(encoding: Lookup(ids: [Identifier(raw: "a")], primary: Identifier(raw: "b")))))
        #expect(!schema.isValid(["ids": [1], "primary": "b"]))
    }

    @Test func structWithoutMembersIsAnEmptyClosedObject() throws {
        let (source, schema) = try compiled(NoArguments.self)
        #expect(source == ["type": "object", "properties": [:], "additionalProperties": false])
        #expect(schema.isValid(try JSON(encoding: NoArguments())))
        #expect(!schema.isValid(["unexpected": 1]))
    }

    @Test func jsonMembersAcceptAnything() throws {
        let (source, schema) = try compiled(Anything.self)
        #expect(source["properties"]?["payload"] == [:])
        #expect(source["properties"]?["extra"] == [:])
        #expect(source["required"] == ["payload"])
        #expect(schema.isValid(try JSON(encoding: Anything(payload: ["any": [1, "two", nil]], extra: nil))))
        #expect(schema.isValid(["payload": nil, "extra": 3]))
        #expect(!schema.isValid(["extra": 3]))
    }

    // MARK: - Enums

    @Test func caseIterableEnumsBecomeEnumKeywords() throws {
        let (source, schema) = try compiled(Forecast.self)
        #expect(source["properties"]?["unit"] == ["type": "string", "enum": ["celsius", "fahrenheit"], "description": "A temperature scale."])
        #expect(source["properties"]?["priority"] == ["type": ["integer", "null"], "enum": [1, 5, nil]])
        #expect(source["properties"]?["units"]?["items"]?["enum"] == ["celsius", "fahrenheit"])
        #expect(schema.isValid(try JSON(encoding: Forecast(unit: .fahrenheit, priority: .high, units: [.celsius]))))
        #expect(schema.isValid(try JSON(encoding: Forecast(unit: .celsius, priority: nil, units: []))))
        #expect(messages(schema, ["unit": "kelvin", "units": []]) == [#"must be one of "celsius" or "fahrenheit", got "kelvin""#])
        #expect(!schema.isValid(["unit": "celsius", "priority": 3, "units": []]))
    }

    @Test func rawValueEnumWithoutCaseIterableIsATypedError() throws {
        let error = try #require(inferenceError(Heading.self))
        #expect(error.kind == .undescribableType)
        #expect(error.typeName == "Direction")
        #expect(error.location == "/direction")
        #expect(error.reason.contains("needs CaseIterable"))
        #expect(error.description.hasPrefix("cannot infer a JSON Schema for Direction at /direction: Direction.init(from:) rejected"))
    }

    @Test func enumWithAssociatedValuesIsATypedError() throws {
        let error = try #require(inferenceError(Drawing.self))
        #expect(error.kind == .undescribableType)
        #expect(error.typeName == "Shape")
        #expect(error.reason.contains("JSONSchemaProviding"))
    }

    // MARK: - Foundation types

    @Test func foundationTypesAreFormattedStringsOrNumbers() throws {
        let (source, schema) = try compiled(Stamped.self)
        let properties = source["properties"]
        #expect(properties?["at"] == ["type": "string", "format": "date-time"])
        #expect(properties?["link"] == ["type": "string", "format": "uri"])
        #expect(properties?["id"] == ["type": "string", "format": "uuid"])
        #expect(properties?["payload"] == ["type": "string", "contentEncoding": "base64"])
        #expect(properties?["amount"] == ["type": "number"])

        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let value = Stamped(
            at: Date(timeIntervalSince1970: 1_700_000_000), link: try #require(URL(string: "https://example.com/a")),
            id: UUID(), payload: Data([1, 2, 3]), amount: Decimal(string: "12.34") ?? 0)
        let instance = try encoded(value, with: encoder)
        #expect(schema.isValid(instance))
        #expect(instance["at"] == "2023-11-14T22:13:20Z")

        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(Stamped.self, from: Data(instance.canonicalBytes))
        #expect(decoded.at == value.at && decoded.payload == value.payload && decoded.link == value.link)
    }

    // MARK: - Recursion

    @Test func recursiveRootRefersToItself() throws {
        let (source, schema) = try compiled(TreeNode.self)
        #expect(source["properties"]?["children"] == ["type": "array", "items": ["$ref": "#"]])
        #expect(source["$defs"] == nil)
        let tree = TreeNode(name: "root", children: [TreeNode(name: "leaf", children: [TreeNode(name: "deep", children: [])])])
        #expect(schema.isValid(try JSON(encoding: tree)))
        let bad: JSON = ["name": "root", "children": [["name": "leaf", "children": [["name": 3, "children": []]]]]]
        #expect(schema.validate(bad).errors.map(\.instancePath) == ["/children/0/children/0/name"])
        let decoded: TreeNode = try JSON(encoding: tree).decode()
        #expect(decoded == tree)
    }

    @Test func recursiveMemberTypesGoIntoDefs() throws {
        let (source, schema) = try compiled(Discussion.self)
        #expect(source["properties"]?["first"] == ["$ref": "#/$defs/Comment"])
        #expect(source["properties"]?["pinned"] == ["anyOf": [["$ref": "#/$defs/Comment"], ["type": "null"]]])
        #expect(
            source["$defs"]?["Comment"]
                == [
                    "type": "object",
                    "properties": ["text": ["type": "string"], "replies": ["type": "array", "items": ["$ref": "#/$defs/Comment"]]],
                    "required": ["text", "replies"],
                    "additionalProperties": false,
                ])
        let reply = Comment(text: "me too", replies: [])
        let thread = Discussion(title: "t", first: Comment(text: "hi", replies: [reply]), pinned: nil)
        #expect(schema.isValid(try JSON(encoding: thread)))
        #expect(schema.isValid(["title": "t", "first": ["text": "hi", "replies": []], "pinned": nil]))
        #expect(!schema.isValid(["title": "t", "first": ["text": "hi", "replies": [["text": "x", "replies": [], "likes": 1]]]]))
    }

    @Test func recursionThroughAnOptionalReference() throws {
        let (source, schema) = try compiled(Link.self)
        #expect(source["properties"]?["next"] == ["anyOf": [["$ref": "#"], ["type": "null"]]])
        #expect(source["required"] == ["value"])
        #expect(schema.isValid(["value": 1, "next": ["value": 2, "next": ["value": 3]]]))
        #expect(!schema.isValid(["value": 1, "next": ["value": "2"]]))
    }

    @Test func recursionWithoutAnEndIsATypedError() throws {
        let error = try #require(inferenceError(EndlessLink.self))
        #expect(error.kind == .endlessRecursion)
        #expect(error.location == "/next")
        #expect(error.reason.contains("make the inner EndlessLink Optional"))
    }

    // MARK: - Descriptions and explicit schemas

    @Test func descriptionsAndConstraintsFromHints() throws {
        let (source, schema) = try compiled(SearchArguments.self)
        #expect(source["description"] == "A web search.")
        #expect(
            source["properties"]?["query"]
                == ["type": "string", "description": "What to search for", "minLength": 1, "pattern": "\\S"])
        #expect(
            source["properties"]?["limit"]
                == ["type": ["integer", "null"], "description": "How many results at most", "minimum": 1, "maximum": 50])
        #expect(schema.isValid(try JSON(encoding: SearchArguments(query: "swift", limit: 10))))
        #expect(schema.isValid(try JSON(encoding: SearchArguments(query: "swift", limit: nil))))
        #expect(messages(schema, ["query": "swift", "limit": 0]) == ["must be at least 1"])
        #expect(!schema.isValid(["query": ""]))
    }

    @Test func hintForAnUnknownKeyIsATypedError() throws {
        let error = try #require(inferenceError(MisspeltHints.self))
        #expect(error.kind == .invalidHint)
        #expect(error.reason.hasPrefix("propertyHints names 'qurey', which MisspeltHints does not decode; the keys it decodes are 'query'"))
    }

    @Test func explicitSchemaReplacesInference() throws {
        #expect(try JSONSchemaInference.schema(for: Temperature.self) == Temperature.jsonSchema)
        let (source, schema) = try compiled(Reading.self)
        #expect(source["properties"]?["temperature"] == Temperature.jsonSchema)
        let reading = Reading(place: "Oslo", temperature: Temperature(celsius: -3.5))
        let instance = try JSON(encoding: reading)
        #expect(schema.isValid(instance))
        #expect(!schema.isValid(["place": "Oslo", "temperature": "warm"]))
        let decoded: Reading = try instance.decode()
        #expect(decoded.temperature == reading.temperature)
    }

    @Test func explicitSchemaWithoutAUsableExample() throws {
        let error = try #require(inferenceError(Barometer.self))
        #expect(error.kind == .undescribableType)
        #expect(error.location == "/pressure")
        #expect(error.reason.contains("add an example"))
        // As an optional member it needs no value, so it is described.
        let (source, schema) = try compiled(OptionalBarometer.self)
        #expect(source["properties"]?["pressure"] == ["type": ["string", "null"], "pattern": "hPa$"])
        #expect(schema.isValid(["pressure": "1013hPa"]))
        #expect(!schema.isValid(["pressure": "1013"]))
    }

    // MARK: - Hand-written decoders

    @Test func customKeysNestedContainersAndContains() throws {
        let (source, schema) = try compiled(Event.self)
        #expect(
            source == [
                "type": "object",
                "properties": [
                    "event_title": ["type": "string"],
                    "location": [
                        "type": "object",
                        "properties": ["lat": ["type": "number"], "lng": ["type": "number"]],
                        "required": ["lat", "lng"],
                        "additionalProperties": false,
                    ],
                    "notes": ["type": "string"],
                ],
                "required": ["event_title", "location"],
                "additionalProperties": false,
            ])
        #expect(schema.isValid(try JSON(encoding: Event(title: "Launch", latitude: 1, longitude: 2, notes: ""))))
        #expect(schema.isValid(try JSON(encoding: Event(title: "Launch", latitude: 1, longitude: 2, notes: "n"))))
        #expect(!schema.isValid(["title": "Launch", "location": ["lat": 1, "lng": 2]]))
    }

    @Test func fixedUnkeyedSequenceIsATuple() throws {
        let (source, schema) = try compiled(Polyline.self)
        #expect(
            source["properties"]?["points"]
                == [
                    "type": "array",
                    "items": ["type": "array", "prefixItems": [["type": "number"], ["type": "number"]], "items": false, "minItems": 2],
                ])
        #expect(schema.isValid(try JSON(encoding: Polyline(points: [Point(x: 1, y: 2), Point(x: 3.5, y: 4)]))))
        #expect(!schema.isValid(["points": [[1]]]))
        #expect(!schema.isValid(["points": [[1, 2, 3]]]))
    }

    @Test func dictionaryWithOtherKeysIsATypedError() throws {
        let error = try #require(inferenceError(WeirdKeys.self))
        #expect(error.kind == .undescribableType)
        #expect(error.location == "/table")
        #expect(error.reason.hasPrefix("a dictionary is described only with String or Int keys"))
    }

    @Test func wideIntegers() throws {
        let (source, _) = try compiled(Wide.self)
        #expect(source["properties"]?["signed"] == ["type": "integer"])
        #expect(source["properties"]?["unsigned"] == ["type": "array", "items": ["type": "integer", "minimum": 0]])
        #expect(source["properties"]?["maybe"] == ["type": ["integer", "null"]])
        #expect(source["required"] == ["signed", "unsigned"])
    }

    @Test func subclassesDecodingTheirSuperclass() throws {
        let (admin, adminSchema) = try compiled(Admin.self)
        #expect(admin["required"] == ["role", "super"])
        #expect(admin["properties"]?["super"]?["properties"] == ["id": ["type": "integer"]])
        #expect(adminSchema.isValid(["role": "owner", "super": ["id": 1]]))
        #expect(!adminSchema.isValid(["role": "owner", "id": 1]))

        let (guest, guestSchema) = try compiled(Guest.self)
        #expect(guest["required"] == ["invitedBy", "id"])
        #expect(guestSchema.isValid(["invitedBy": "ada", "id": 2]))
    }

    @Test func genericRecursiveTypesHaveEscapedDefinitionNames() throws {
        let (source, schema) = try compiled(Shelf.self)
        #expect(source["properties"]?["box"] == ["$ref": "#/$defs/Box_Int_"])
        #expect(source["$defs"]?["Box_Int_"]?["properties"]?["more"] == ["type": "array", "items": ["$ref": "#/$defs/Box_Int_"]])
        #expect(schema.isValid(["box": ["value": 1, "more": [["value": 2, "more": []]]]]))
        #expect(!schema.isValid(["box": ["value": 1, "more": [["value": "2", "more": []]]]]))
    }

    @Test func iteratingAllKeysDescribesAdditionalProperties() throws {
        let (source, schema) = try compiled(Tally.self)
        #expect(source == ["type": "object", "properties": [:], "additionalProperties": ["type": "integer"]])
        #expect(schema.isValid(["apples": 3, "pears": 0]))
        #expect(!schema.isValid(["apples": "3"]))
    }

    // MARK: - Round trip

    @Test func validArgumentsDecodeAsTheType() throws {
        let schema = try JSONSchema(try JSONSchemaInference.schema(for: AddArguments.self))
        let arguments: JSON = ["a": 2, "b": 40]
        #expect(schema.isValid(arguments))
        let decoded: AddArguments = try arguments.decode()
        #expect(decoded.a + decoded.b == 42)
    }

    @Test func inferenceIsDeterministic() throws {
        let first = try JSONSchemaInference.schema(for: Discussion.self)
        let second = try JSONSchemaInference.schema(for: Discussion.self)
        #expect(first.canonicalString == second.canonicalString)
    }
}
