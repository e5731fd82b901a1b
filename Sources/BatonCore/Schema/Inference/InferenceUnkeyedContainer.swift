/// The unkeyed container of ``InferenceDecoder``: records the elements the code decodes (see
/// ``ArrayRecording`` for how a loop and a fixed sequence differ).
struct InferenceUnkeyedContainer: UnkeyedDecodingContainer {
    let array: ArrayRecording
    let context: InferenceContext
    let codingPath: [any CodingKey]

    /// Unknown, as for a stream.
    var count: Int? { nil }
    var isAtEnd: Bool { array.checkEnd() }
    var currentIndex: Int { array.count }

    /// Always false, so the code goes on to decode the element; the element then admits `null`.
    mutating func decodeNil() -> Bool {
        array.admitNullNext()
        return false
    }

    /// Witnesses every `decode` requirement but the 128-bit ones, which have defaults that throw.
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try element(type) }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func decode(_ type: Int128.Type) throws -> Int128 { try element(type) }
    @available(macOS 15.0, iOS 18.0, watchOS 11.0, tvOS 18.0, visionOS 2.0, *)
    mutating func decode(_ type: UInt128.Type) throws -> UInt128 { try element(type) }

    private func element<T: Decodable>(_ type: T.Type) throws(SchemaInferenceError) -> T {
        let path = codingPath + [InferenceKey(intValue: array.count)]
        let inferred = try context.infer(type, at: path)
        array.append(.known(inferred.schema))
        guard let value = inferred.value else { throw context.valueUnavailable(type, at: path) }
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) -> KeyedDecodingContainer<NestedKey> {
        let (recording, path) = nextElement()
        return KeyedDecodingContainer(InferenceKeyedContainer<NestedKey>(object: recording.object(), context: context, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedDecodingContainer {
        let (recording, path) = nextElement()
        return InferenceUnkeyedContainer(array: recording.array(), context: context, codingPath: path)
    }

    mutating func superDecoder() -> any Decoder {
        let (recording, path) = nextElement()
        return InferenceDecoder(recording: recording, context: context, codingPath: path)
    }

    /// A recording for the next element, read through a nested container or decoder.
    private func nextElement() -> (ValueRecording, [any CodingKey]) {
        let path = codingPath + [InferenceKey(intValue: array.count)]
        let recording = ValueRecording()
        array.append(.recorded(recording))
        return (recording, path)
    }
}
