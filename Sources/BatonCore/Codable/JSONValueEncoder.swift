import Foundation

/// Encodes `Encodable` values straight into a ``JSON`` value, with no text in between: what a
/// typed tool does with every result, so it must be cheap.
///
/// It writes what `JSONEncoder` writes, read back as JSON, with dates as ISO 8601 strings, `Data`
/// as Base64 and URLs as strings; a non-finite number is an `EncodingError`.
public enum JSONValueEncoder {
    /// `value` as JSON.
    public static func encode<T: Encodable>(_ value: T) throws -> JSON {
        if T.self == JSON.self, let json = value as? JSON { return json }
        let root = EncodedNode()
        try ValueEncoder(root, path: []).encodeValue(value)
        return root.json
    }
}

/// The value being built at one position: containers add children to it as they encode.
private final class EncodedNode {
    enum Content {
        case empty
        case value(JSON)
        case object([String: EncodedNode])
        case array([EncodedNode])
    }

    var content = Content.empty

    var json: JSON {
        switch content {
        case .empty: return [:]
        case let .value(value): return value
        case let .object(members): return .object(members.mapValues(\.json))
        case let .array(elements): return .array(elements.map(\.json))
        }
    }

    /// The child under `key`, made an object member if this node is not one yet.
    func member(_ key: String) -> EncodedNode {
        var members: [String: EncodedNode]
        if case let .object(existing) = content { members = existing } else { members = [:] }
        content = .empty  // the only reference left is `members`: it grows in place
        let child = members[key] ?? EncodedNode()
        members[key] = child
        content = .object(members)
        return child
    }

    func appendElement() -> EncodedNode {
        var elements: [EncodedNode]
        if case let .array(existing) = content { elements = existing } else { elements = [] }
        content = .empty  // the only reference left is `elements`: it grows in place
        let child = EncodedNode()
        elements.append(child)
        content = .array(elements)
        return child
    }

    func becomeObject() { if case .object = content {} else { content = .object([:]) } }
    func becomeArray() { if case .array = content {} else { content = .array([]) } }
}

private struct ValueEncoder: Encoder {
    let node: EncodedNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ node: EncodedNode, path: [any CodingKey]) {
        self.node = node
        self.codingPath = path
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeObject()
        return KeyedEncodingContainer(KeyedNodes<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.becomeArray()
        return UnkeyedNodes(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// `value`, with the types whose JSON form is not their `Codable` form written the way `JSONEncoder` writes them.
    func encodeValue<T: Encodable>(_ value: T) throws {
        // Type comparisons first: a dynamic cast from a generic type costs a conformance lookup.
        if T.self == JSON.self, let json = value as? JSON {
            node.content = .value(json)
        } else if T.self == Date.self, let date = value as? Date {
            node.content = .value(.string(date.formatted(.iso8601)))
        } else if T.self == Data.self, let data = value as? Data {
            node.content = .value(.string(data.base64EncodedString()))
        } else if T.self == URL.self, let url = value as? URL {
            node.content = .value(.string(url.absoluteString))
        } else {
            try value.encode(to: self)
        }
    }
}

extension ValueEncoder: SingleValueEncodingContainer {
    func encodeNil() { node.content = .value(.null) }
    func encode(_ value: Bool) { node.content = .value(.bool(value)) }
    func encode(_ value: String) { node.content = .value(.string(value)) }
    func encode(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) has no JSON form"))
        }
        node.content = .value(.double(value))
    }
    func encode(_ value: Float) throws { try encode(Double(value)) }
    func encode(_ value: Int) { node.content = .value(.int(value)) }
    func encode(_ value: Int8) { node.content = .value(.int(Int(value))) }
    func encode(_ value: Int16) { node.content = .value(.int(Int(value))) }
    func encode(_ value: Int32) { node.content = .value(.int(Int(value))) }
    func encode(_ value: Int64) { node.content = .value(.int(Int(value))) }
    func encode(_ value: UInt) throws { try encodeUnsigned(value) }
    func encode(_ value: UInt8) { node.content = .value(.int(Int(value))) }
    func encode(_ value: UInt16) { node.content = .value(.int(Int(value))) }
    func encode(_ value: UInt32) { node.content = .value(.int(Int(value))) }
    func encode(_ value: UInt64) throws { try encodeUnsigned(value) }
    func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }

    private func encodeUnsigned<T: UnsignedInteger & FixedWidthInteger>(_ value: T) throws {
        guard let number = Int(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) does not fit in a 64-bit signed integer"))
        }
        node.content = .value(.int(number))
    }
}

private struct KeyedNodes<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodedNode
    let codingPath: [any CodingKey]

    private func child(_ key: Key) -> ValueEncoder { ValueEncoder(node.member(key.stringValue), path: codingPath + [key]) }

    mutating func encodeNil(forKey key: Key) { child(key).encodeNil() }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try child(key).encodeValue(value) }
    mutating func encode(_ value: Bool, forKey key: Key) { child(key).encode(value) }
    mutating func encode(_ value: String, forKey key: Key) { child(key).encode(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: Int, forKey key: Key) { child(key).encode(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        child(key).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { child(key).unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { ValueEncoder(node.member("super"), path: codingPath + [ValueCodingKey("super")]) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { child(key) }
}

private struct UnkeyedNodes: UnkeyedEncodingContainer {
    let node: EncodedNode
    let codingPath: [any CodingKey]
    var count: Int {
        if case let .array(elements) = node.content { return elements.count }
        return 0
    }

    private func next() -> ValueEncoder { ValueEncoder(node.appendElement(), path: codingPath + [ValueCodingKey(count)]) }

    mutating func encodeNil() { next().encodeNil() }
    mutating func encode<T: Encodable>(_ value: T) throws { try next().encodeValue(value) }
    mutating func encode(_ value: Bool) { next().encode(value) }
    mutating func encode(_ value: String) { next().encode(value) }
    mutating func encode(_ value: Double) throws { try next().encode(value) }
    mutating func encode(_ value: Int) { next().encode(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        next().container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { next() }
}
