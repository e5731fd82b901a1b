/// The `Decoder` that ``JSONSchemaInference`` hands to `init(from:)`: it holds no JSON, records
/// what the code asks for, and answers each request with a placeholder value.
struct InferenceDecoder: Decoder {
    let recording: ValueRecording
    let context: InferenceContext
    let codingPath: [any CodingKey]

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(InferenceKeyedContainer<Key>(object: recording.object(), context: context, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedDecodingContainer {
        InferenceUnkeyedContainer(array: recording.array(), context: context, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueDecodingContainer {
        InferenceValueContainer(recording: recording, context: context, codingPath: codingPath)
    }
}

/// The single-value container: the schemas of the primitive types are decided here.
private struct InferenceValueContainer: SingleValueDecodingContainer {
    let recording: ValueRecording
    let context: InferenceContext
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        recording.admitsNull = true
        return false
    }

    func decode(_ type: Bool.Type) -> Bool {
        recording.recordValue(["type": "boolean"])
        return true
    }

    func decode(_ type: String.Type) -> String {
        recording.recordValue(["type": "string"])
        return "x"
    }

    func decode(_ type: Double.Type) -> Double { number() }
    func decode(_ type: Float.Type) -> Float { number() }
    func decode(_ type: Int.Type) -> Int { integer() }
    func decode(_ type: Int8.Type) -> Int8 { integer() }
    func decode(_ type: Int16.Type) -> Int16 { integer() }
    func decode(_ type: Int32.Type) -> Int32 { integer() }
    func decode(_ type: Int64.Type) -> Int64 { integer() }
    func decode(_ type: UInt.Type) -> UInt { integer() }
    func decode(_ type: UInt8.Type) -> UInt8 { integer() }
    func decode(_ type: UInt16.Type) -> UInt16 { integer() }
    func decode(_ type: UInt32.Type) -> UInt32 { integer() }
    func decode(_ type: UInt64.Type) -> UInt64 { integer() }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decode(_ type: Int128.Type) -> Int128 { integer() }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    func decode(_ type: UInt128.Type) -> UInt128 { integer() }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let inferred = try context.infer(type, at: codingPath)
        recording.recordValue(inferred.schema)
        guard let value = inferred.value else { throw context.valueUnavailable(type, at: codingPath) }
        return value
    }

    private func number<F: BinaryFloatingPoint>() -> F {
        recording.recordValue(["type": "number"])
        return 1
    }

    /// `integer`, bounded by the type's range where that is narrower than `Int`'s.
    private func integer<I: FixedWidthInteger>() -> I {
        var schema: [String: JSON] = ["type": "integer"]
        if let low = Int(exactly: I.min), low != Int.min { schema["minimum"] = .int(low) }
        if let high = Int(exactly: I.max), high != Int.max { schema["maximum"] = .int(high) }
        recording.recordValue(.object(schema))
        return 1
    }
}
