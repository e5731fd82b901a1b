extension JSON {
    /// Keywords under which a `null` instance can fail even when `type` admits it.
    private static let nullSensitiveKeywords: Set<String> = [
        "$ref", "$dynamicRef", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "const",
    ]

    /// This schema, widened to accept `null` as well: `"type": ["integer", "null"]` where the
    /// type list is all that could reject `null` (a `null` in `enum` too), otherwise
    /// `{"anyOf": [schema, {"type": "null"}]}`.
    var admittingNull: JSON {
        guard case var .object(schema) = self, let type = schema["type"],
            Self.nullSensitiveKeywords.isDisjoint(with: schema.keys)
        else {
            if self == .bool(true) || self == [:] { return self }
            return ["anyOf": [self, ["type": "null"]]]
        }
        switch type {
        case let .string(name) where name != "null": schema["type"] = [type, "null"]
        case let .array(names) where !names.contains("null"): schema["type"] = .array(names + ["null"])
        default: break
        }
        if case let .array(values)? = schema["enum"], !values.contains(.null) {
            schema["enum"] = .array(values + [.null])
        }
        return .object(schema)
    }
}
