/// The keyed container of ``InferenceDecoder``: records each member the code decodes, whether it
/// is required (`decode`) or may be absent (`decodeIfPresent`, or checked with `contains`), and
/// its schema.
struct InferenceKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    /// The key `allKeys` offers when the key type accepts any string (a dictionary, or code that
    /// iterates over dynamic keys); what is decoded under it describes `additionalProperties`.
    static var anyKey: String { "\u{1F}additionalProperties" }

    let object: ObjectRecording
    let context: InferenceContext
    let codingPath: [any CodingKey]

    /// One key standing for all keys when `Key` can be any string; none for a fixed set of keys.
    var allKeys: [Key] {
        Key(stringValue: Self.anyKey).map { [$0] } ?? []
    }

    /// Always true, so the code goes on to decode the key; the key is then optional.
    func contains(_ key: Key) -> Bool {
        object.probe(key.stringValue)
        return true
    }

    /// Always false, so the code goes on to decode the value; the member then admits `null`.
    func decodeNil(forKey key: Key) -> Bool {
        object.admitNull(key.stringValue)
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try required(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try required(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try required(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try required(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try required(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try required(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try required(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try required(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try required(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try required(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try required(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try required(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try required(type, key) }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { try required(type, key) }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { try required(type, key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try required(type, key) }

    /// Records an optional member that admits `null`; `nil` when inference has no value of `T`
    /// (a recursive reference), which an optional member may well be.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        object.admitNull(key.stringValue)
        return try member(type, key, required: false)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(
            InferenceKeyedContainer<NestedKey>(object: nested(key).object(), context: context, codingPath: codingPath + [key]))
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedDecodingContainer {
        InferenceUnkeyedContainer(array: nested(key).array(), context: context, codingPath: codingPath + [key])
    }

    func superDecoder() -> any Decoder {
        InferenceDecoder(recording: nested("super"), context: context, codingPath: codingPath + [InferenceKey(stringValue: "super")])
    }

    func superDecoder(forKey key: Key) -> any Decoder {
        InferenceDecoder(recording: nested(key), context: context, codingPath: codingPath + [key])
    }

    private func required<T: Decodable>(_ type: T.Type, _ key: Key) throws(SchemaInferenceError) -> T {
        guard let value = try member(type, key, required: true) else {
            throw context.valueUnavailable(type, at: codingPath + [key])
        }
        return value
    }

    private func member<T: Decodable>(_ type: T.Type, _ key: Key, required: Bool) throws(SchemaInferenceError) -> T? {
        let inferred = try context.infer(type, at: codingPath + [key])
        if key.stringValue == Self.anyKey {
            object.additional = .known(inferred.schema)
        } else {
            object.record(key.stringValue, .known(inferred.schema), required: required)
        }
        return inferred.value
    }

    /// A recording for a member the code reads through a nested container or decoder.
    private func nested(_ key: Key) -> ValueRecording {
        nested(key.stringValue)
    }

    private func nested(_ name: String) -> ValueRecording {
        let recording = ValueRecording()
        if name == Self.anyKey {
            object.additional = .recorded(recording)
        } else {
            object.record(name, .recorded(recording), required: true)
        }
        return recording
    }
}

/// A coding key for paths the inference builds itself: array indices and `super`.
struct InferenceKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
