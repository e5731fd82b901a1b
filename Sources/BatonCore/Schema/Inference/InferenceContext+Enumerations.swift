extension InferenceContext {
    /// The schema of a `CaseIterable` type whose raw values are strings or numbers: `enum` of
    /// the raw values, and its first case as the value. `nil` for any other type.
    ///
    /// The raw values are what the standard `Codable` conformance of a `RawRepresentable` type
    /// reads and writes; a type that decodes itself some other way should conform to
    /// ``JSONSchemaProviding``.
    static func enumeration<T>(_ type: T.Type) -> Inferred<T>? {
        guard let iterable = type as? any CaseIterable.Type else { return nil }
        let cases = allCases(of: iterable)
        var values: [JSON] = []
        var typeName: JSON = "string"
        for member in cases {
            guard let representable = member as? any RawRepresentable,
                let (value, name) = scalar(representable.rawValue)
            else { return nil }
            values.append(value)
            typeName = name
        }
        guard !values.isEmpty else { return Inferred(schema: false, value: nil) }
        return Inferred(schema: ["type": typeName, "enum": .array(values)], value: cases.first as? T)
    }

    private static func allCases<C: CaseIterable>(of type: C.Type) -> [Any] {
        C.allCases.map { $0 as Any }
    }

    /// A raw value as JSON, with its schema type name.
    private static func scalar(_ rawValue: Any) -> (JSON, JSON)? {
        switch rawValue {
        case let text as String:
            return (.string(text), "string")
        case let integer as any BinaryInteger:
            return Int(exactly: integer).map { (.int($0), "integer") }
        case let number as any BinaryFloatingPoint:
            return (.double(Double(number)), "number")
        default:
            return nil
        }
    }
}
