import BatonCore
import Yams

extension DecodeContext {
    /// Values nested deeper than this are refused, so that later recursive passes stay shallow.
    static let maximumJSONDepth = 128

    /// Converts a YAML value to JSON: mappings become objects, sequences arrays, and scalars
    /// take the type YAML 1.2 resolves (`3` is an integer, `3.0` a number, `true` a boolean, `~`
    /// null, anything quoted or else text a string). Infinity and NaN are refused.
    func json(_ node: YAMLNode, at path: String, depth: Int = 0) -> JSON? {
        guard depth <= Self.maximumJSONDepth else {
            error(path, node: node, "the value is nested more than \(Self.maximumJSONDepth) levels deep")
            return nil
        }
        switch node {
        case let .scalar(scalar):
            switch node.scalarKind {
            case .null?: return .null
            case .bool?: return node.booleanValue.map(JSON.bool) ?? .string(scalar.string)
            case .int?:
                if let value = node.integerValue { return .int(value) }
                if let value = node.numberValue, value.isFinite { return .double(value) }
                error(path, node: node, "expected a number JSON can hold, found \(node.found)")
                return nil
            case .float?:
                guard let value = node.numberValue, value.isFinite else {
                    error(path, node: node, "expected a finite number (JSON has no infinity or NaN), found \(node.found)")
                    return nil
                }
                return .double(value)
            default:
                return .string(scalar.string)
            }
        case let .sequence(sequence):
            var elements: [JSON] = []
            elements.reserveCapacity(sequence.count)
            var failed = false
            for (index, element) in sequence.enumerated() {
                let elementPath = DecodeContext.index(path, index)
                record(elementPath, value: element.position)
                if let value = json(element, at: elementPath, depth: depth + 1) { elements.append(value) } else { failed = true }
            }
            return failed ? nil : .array(elements)
        case .mapping:
            guard let mapping = mapping(node, at: path) else { return nil }
            var members: [String: JSON] = [:]
            var failed = false
            for entry in mapping.entries {
                if let value = json(entry.value, at: mapping.path(entry.key), depth: depth + 1) {
                    members[entry.key] = value
                } else {
                    failed = true
                }
            }
            return failed ? nil : .object(members)
        case .alias:
            error(path, node: node, "YAML aliases are not supported in workflow files; write the value out")
            return nil
        }
    }
}
