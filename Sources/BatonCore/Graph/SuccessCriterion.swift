/// What a node's output must satisfy for the attempt to count as a success. A node whose
/// criterion fails has failed: its retry policy and fallback apply.
public enum SuccessCriterion: Sendable {
    /// The output must validate against this JSON Schema.
    case schema(JSONSchema)
    /// The condition must hold over `{output, state, input}`.
    case condition(Condition)

    /// Checks `output`; returns `nil` on success or the reason it failed.
    public func failure(output: JSON, scope: JSON) -> String? {
        switch self {
        case let .schema(schema):
            let result = schema.validate(output)
            if result.isValid { return nil }
            return result.errors.prefix(5).map { $0.description }.joined(separator: "; ")
        case let .condition(condition):
            var scope = scope
            if case var .object(members) = scope {
                members["output"] = output
                scope = .object(members)
            }
            do {
                return try condition.holds(in: scope) ? nil : "\(condition.structure.canonicalString) is false"
            } catch {
                return "the condition could not be evaluated: \(error)"
            }
        }
    }

    var structure: JSON {
        switch self {
        case let .schema(schema): return ["schema": schema.source]
        case let .condition(condition): return ["condition": condition.structure]
        }
    }
}
