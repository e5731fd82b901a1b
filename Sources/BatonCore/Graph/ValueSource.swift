/// Where a value comes from when a node assigns, copies or renders it: the declarative way to
/// build tool arguments, sub-workflow inputs and `set` nodes without writing a Swift closure.
public enum ValueSource: Sendable {
    /// A literal JSON value.
    case literal(JSON)
    /// A copy of the value at a path of the evaluation scope (`state.a.b`, `item.name`, `input.q`;
    /// a bare `a.b` means `state.a.b`). A missing path gives `null`.
    case copy(StatePath)
    /// A Mustache template rendered over the scope; always a string.
    case template(Template)
    /// An expression evaluated over the scope.
    case expression(Expression)

    /// Resolves this source in `scope`: an object with `state`, `input` and, inside a map, `item` and `index`.
    /// A template also sees the state's keys at the top level, so `{{name}}` reads `state.name`.
    public func resolve(in scope: JSON) throws -> JSON {
        switch self {
        case let .literal(value): return value
        case let .copy(path): return scope.lookup(path) ?? .null
        case let .template(template): return .string(template.render(scope))
        case let .expression(expression): return try expression.evaluate(in: scope)
        }
    }

    /// A description used by the structural hash of a workflow.
    var structure: JSON {
        switch self {
        case let .literal(value): return ["literal": value]
        case let .copy(path): return ["copy": .string(path.description)]
        case let .template(template): return ["template": .string(template.source)]
        case let .expression(expression): return ["expression": .string(expression.source)]
        }
    }
}

extension Dictionary where Key == String, Value == ValueSource {
    /// Resolves every member into an object.
    public func resolve(in scope: JSON) throws -> JSON {
        var members: [String: JSON] = [:]
        for (key, source) in self { members[key] = try source.resolve(in: scope) }
        return .object(members)
    }
}
