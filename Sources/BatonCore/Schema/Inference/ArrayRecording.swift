/// The elements a walked `init(from:)` decoded from an unkeyed container.
///
/// The container reports its end after one element, so a loop (`while !container.isAtEnd`, as
/// `Array` decodes) runs once and shows the element type, and code that decodes a fixed number
/// of elements shows each of them. Which of the two the code did tells whether the array is
/// homogeneous (`items`) or a tuple (`prefixItems`).
final class ArrayRecording {
    private var elements: [(slot: SchemaSlot, admitsNull: Bool)] = []
    /// How many elements had been decoded when the code first asked `isAtEnd`.
    private var firstEndCheck: Int?
    /// The code asked whether the next element is `null`.
    private var nextAdmitsNull = false

    /// The index of the next element.
    var count: Int { elements.count }

    /// Answers `isAtEnd`: false until one element has been decoded.
    func checkEnd() -> Bool {
        if firstEndCheck == nil { firstEndCheck = elements.count }
        return !elements.isEmpty
    }

    /// Notes that the code asked whether the next element is `null`.
    func admitNullNext() {
        nextAdmitsNull = true
    }

    /// Records the next element's schema.
    func append(_ slot: SchemaSlot) {
        elements.append((slot, nextAdmitsNull))
        nextAdmitsNull = false
    }

    /// `items` for a loop; for a fixed sequence, `prefixItems` and exactly that many elements.
    var schema: JSON {
        if firstEndCheck == 0 {
            guard let element = elements.first else { return ["type": "array"] }
            return ["type": "array", "items": Self.schema(of: element)]
        }
        var schema: [String: JSON] = ["type": "array", "items": false]
        if !elements.isEmpty {
            schema["prefixItems"] = .array(elements.map(Self.schema(of:)))
            schema["minItems"] = .int(elements.count)
        }
        return .object(schema)
    }

    private static func schema(of element: (slot: SchemaSlot, admitsNull: Bool)) -> JSON {
        element.admitsNull ? element.slot.schema.admittingNull : element.slot.schema
    }
}
