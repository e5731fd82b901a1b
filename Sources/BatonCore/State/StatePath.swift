/// A path into a JSON value, written `a.b[0].c`: object members by name, array elements by index.
///
/// Paths name what `set` nodes copy from, what `map` nodes fan out over, and where node outputs go.
public struct StatePath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Component: Sendable, Hashable {
        case member(String)
        case index(Int)
    }

    public let components: [Component]
    public let description: String

    /// Parses `a.b[0].c`. Throws when the path is empty or malformed.
    public init(_ text: String) throws(StateError) {
        var components: [Component] = []
        var current = ""
        var iterator = Array(text).makeIterator()
        var pendingMember = true
        func flush() throws(StateError) {
            if !current.isEmpty {
                components.append(.member(current))
                current = ""
            } else if pendingMember {
                throw StateError.invalidPath(text, reason: "empty member name")
            }
        }
        while let character = iterator.next() {
            switch character {
            case ".":
                try flush()
                pendingMember = true
            case "[":
                if !current.isEmpty { try flush() }
                var digits = ""
                var closed = false
                while let next = iterator.next() {
                    if next == "]" { closed = true; break }
                    digits.append(next)
                }
                guard closed, let index = Int(digits) else {
                    throw StateError.invalidPath(text, reason: "expected an integer index in brackets")
                }
                components.append(.index(index))
                pendingMember = false
            default:
                current.append(character)
                pendingMember = false
            }
        }
        if !current.isEmpty { components.append(.member(current)) } else if pendingMember {
            throw StateError.invalidPath(text, reason: text.isEmpty ? "the path is empty" : "it ends with '.'")
        }
        guard case .member? = components.first else {
            throw StateError.invalidPath(text, reason: "a path starts with a key name")
        }
        self.components = components
        self.description = text
    }

    /// The top-level state key this path starts at.
    public var rootKey: String {
        if case let .member(name)? = components.first { return name }
        return ""
    }

    /// The value at this path in `root`, or `nil` when any step is missing. Negative indexes count from the end.
    public func value(in root: JSON) -> JSON? {
        var current = root
        for component in components {
            switch (component, current) {
            case let (.member(name), .object(members)):
                guard let next = members[name] else { return nil }
                current = next
            case let (.index(index), .array(elements)):
                let position = index < 0 ? elements.count + index : index
                guard elements.indices.contains(position) else { return nil }
                current = elements[position]
            default:
                return nil
            }
        }
        return current
    }

    /// Returns `root` with the value at this path replaced by `value`, creating objects on the way.
    public func setting(_ value: JSON, in root: JSON) throws(StateError) -> JSON {
        try Self.set(value, at: components[...], in: root, path: description)
    }

    private static func set(_ value: JSON, at rest: ArraySlice<Component>, in node: JSON, path: String) throws(StateError) -> JSON {
        guard let first = rest.first else { return value }
        switch first {
        case let .member(name):
            var members: [String: JSON]
            switch node {
            case let .object(existing): members = existing
            case .null: members = [:]
            default: throw StateError.invalidPath(path, reason: "'\(name)' is inside a \(node.typeName), not an object")
            }
            members[name] = try set(value, at: rest.dropFirst(), in: members[name] ?? .null, path: path)
            return .object(members)
        case let .index(index):
            guard case var .array(elements) = node else {
                throw StateError.invalidPath(path, reason: "index [\(index)] is applied to a \(node.typeName), not an array")
            }
            let position = index < 0 ? elements.count + index : index
            guard elements.indices.contains(position) else {
                throw StateError.invalidPath(path, reason: "index [\(index)] is out of range for an array of \(elements.count)")
            }
            elements[position] = try set(value, at: rest.dropFirst(), in: elements[position], path: path)
            return .array(elements)
        }
    }
}
