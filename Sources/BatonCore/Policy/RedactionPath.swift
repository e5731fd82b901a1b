/// A path to the fields a `redact` rule hides: `card.number`, `items[0].card`, every element of
/// an array with `items[*].card`, every member of an object with `headers.*`.
///
/// ```swift
/// let path = try RedactionPath("customer.cards[*].number")
/// path.redact(in: ["customer": ["cards": [["number": "4111…", "brand": "visa"]]]])
/// // ["customer": ["cards": [["number": "[REDACTED]", "brand": "visa"]]]]
/// ```
///
/// Member names are separated by dots; an index in brackets counts from 0 (a negative one from
/// the end). A path that leads nowhere in a value (a missing member, an index out of range, a
/// member of something that is not an object) leaves the value as it is.
public struct RedactionPath: Sendable, Hashable, CustomStringConvertible {
    enum Step: Sendable, Hashable {
        case member(String)
        case index(Int)
        case everyMember
        case everyElement
    }

    /// What a redacted field holds instead of its value.
    public static let placeholder: JSON = "[REDACTED]"
    /// The longest path accepted, in characters.
    public static let maximumLength = 1_000
    /// The most steps a path may have.
    public static let maximumSteps = 64

    /// The path as written.
    public let path: String
    let steps: [Step]

    /// Parses `path`. Throws ``PolicyError/invalidFieldPath(path:reason:)`` when it is empty,
    /// too long, has an empty member name (`a..b`) or an index that is not an integer or `*`.
    public init(_ path: String) throws(PolicyError) {
        func invalid(_ reason: String) -> PolicyError { .invalidFieldPath(path: path, reason: reason) }
        guard !path.isEmpty else { throw invalid("the path is empty; name a field, such as card.number") }
        guard path.count <= Self.maximumLength else { throw invalid("the path has \(path.count) characters; at most \(Self.maximumLength) are allowed") }
        var steps: [Step] = []
        var rest = Substring(path)
        var expectsMember = true
        while !rest.isEmpty {
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]") else { throw invalid("a '[' is not closed; write an index such as items[0] or items[*]") }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                if inside == "*" {
                    steps.append(.everyElement)
                } else if let index = Int(inside) {
                    steps.append(.index(index))
                } else {
                    throw invalid("'[\(inside)]' is not an index; write an integer such as [0], or [*] for every element")
                }
                rest = rest[rest.index(after: close)...]
                expectsMember = false
            } else if rest.first == "." {
                guard !expectsMember else { throw invalid("a member name is empty; write names between the dots, as in card.number") }
                rest = rest.dropFirst()
                expectsMember = true
                guard !rest.isEmpty else { throw invalid("the path ends with '.'; name the field after it") }
            } else {
                guard expectsMember else { throw invalid("a member must follow a '.', as in items[0].card") }
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let name = rest[..<end]
                guard !name.contains("]") else { throw invalid("a ']' has no '['; write an index such as items[0]") }
                steps.append(name == "*" ? .everyMember : .member(String(name)))
                rest = rest[end...]
                expectsMember = false
            }
            guard steps.count <= Self.maximumSteps else { throw invalid("the path has more than \(Self.maximumSteps) steps") }
        }
        guard case .member? = steps.first else { throw invalid("a path starts with a member name, such as card or items[0]") }
        self.path = path
        self.steps = steps
    }

    /// `value` with every field this path leads to replaced by ``placeholder``.
    public func redact(in value: JSON) -> JSON {
        Self.redact(value, steps[...])
    }

    public var description: String { path }

    private static func redact(_ value: JSON, _ steps: ArraySlice<Step>) -> JSON {
        guard let step = steps.first else { return placeholder }
        let rest = steps.dropFirst()
        switch (step, value) {
        case let (.member(name), .object(members)):
            guard let child = members[name] else { return value }
            var copy = members
            copy[name] = redact(child, rest)
            return .object(copy)
        case let (.everyMember, .object(members)):
            return .object(members.mapValues { redact($0, rest) })
        case let (.index(index), .array(elements)):
            let position = index < 0 ? elements.count + index : index
            guard elements.indices.contains(position) else { return value }
            var copy = elements
            copy[position] = redact(elements[position], rest)
            return .array(copy)
        case let (.everyElement, .array(elements)):
            return .array(elements.map { redact($0, rest) })
        default:
            return value
        }
    }
}

extension JSON {
    /// This value with the fields of every path replaced by ``RedactionPath/placeholder``.
    public func redacting(_ paths: [RedactionPath]) -> JSON {
        paths.reduce(self) { $1.redact(in: $0) }
    }
}
