/// A state update that cannot be applied.
public enum StateError: Error, Sendable, CustomStringConvertible {
    /// A reducer received a value of the wrong type.
    case reducerTypeMismatch(key: String, reducer: String, expected: String, found: JSON)
    /// A custom reducer threw.
    case customReducerFailed(key: String, reducer: String, message: String)
    /// A node's output had to be an object of state updates but was not.
    case outputNotAnObject(node: String, found: JSON)
    /// A path expression could not be used.
    case invalidPath(String, reason: String)

    public var description: String {
        switch self {
        case let .reducerTypeMismatch(key, reducer, expected, found):
            return "state key '\(key)' uses the \(reducer) reducer, which needs \(expected), but got \(found.typeName) \(JSON.excerpt(found)); write \(expected) or change the key's reducer"
        case let .customReducerFailed(key, reducer, message):
            return "custom reducer '\(reducer)' failed on state key '\(key)': \(message)"
        case let .outputNotAnObject(node, found):
            return "node '\(node)' returned \(found.typeName) \(JSON.excerpt(found)); a node's output must be an object of state updates, or the node must name the key it writes with `into`"
        case let .invalidPath(path, reason):
            return "invalid state path '\(path)': \(reason)"
        }
    }
}

extension JSON {
    /// A short excerpt of a value for error messages.
    public static func excerpt(_ value: JSON, limit: Int = 80) -> String {
        let text = value.canonicalString
        return text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
