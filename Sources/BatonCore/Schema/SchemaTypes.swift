/// The value of the `type` keyword: a set of JSON Schema's seven type names.
struct SchemaTypes: OptionSet, Sendable, Hashable {
    let rawValue: UInt8

    static let null = SchemaTypes(rawValue: 1 << 0)
    static let boolean = SchemaTypes(rawValue: 1 << 1)
    static let integer = SchemaTypes(rawValue: 1 << 2)
    static let number = SchemaTypes(rawValue: 1 << 3)
    static let string = SchemaTypes(rawValue: 1 << 4)
    static let array = SchemaTypes(rawValue: 1 << 5)
    static let object = SchemaTypes(rawValue: 1 << 6)

    fileprivate static let names: [(String, SchemaTypes)] = [
        ("null", .null), ("boolean", .boolean), ("integer", .integer), ("number", .number),
        ("string", .string), ("array", .array), ("object", .object),
    ]

    /// True when `value` has one of the types; an integral number is an `integer`, and every
    /// number is a `number`.
    func admits(_ value: JSON) -> Bool {
        switch value {
        case .null: return contains(.null)
        case .bool: return contains(.boolean)
        case .int: return contains(.number) || contains(.integer)
        case let .double(double):
            if contains(.number) { return true }
            return contains(.integer) && double.isFinite && double.rounded() == double
        case .string: return contains(.string)
        case .array: return contains(.array)
        case .object: return contains(.object)
        }
    }

    /// The type names, in a fixed order: "string or null", "integer, string or null".
    var phrase: String {
        let names = Self.names.filter { contains($0.1) }.map(\.0)
        guard let last = names.last else { return "nothing" }
        if names.count == 1 { return last }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }
}

extension SchemaTypes {
    /// The type a name denotes, or `nil` for a name that is not one of the seven.
    init?(name: String) {
        guard let entry = Self.names.first(where: { $0.0 == name }) else { return nil }
        self = entry.1
    }
}
