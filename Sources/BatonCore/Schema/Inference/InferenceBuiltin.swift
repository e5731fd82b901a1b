import Foundation

/// A type whose schema inference knows without walking its `init(from:)`: the standard
/// containers, ``JSON``, and the Foundation types `JSONEncoder` writes as strings or numbers.
protocol InferenceBuiltin {
    /// The type's schema and a value of it.
    static func inferred(in context: InferenceContext, at path: [any CodingKey]) throws(SchemaInferenceError) -> (schema: JSON, value: Any?)
}

/// `Optional<Wrapped>`: the wrapped schema, admitting `null`; the value is `nil`.
extension Optional: InferenceBuiltin where Wrapped: Decodable {
    static func inferred(in context: InferenceContext, at path: [any CodingKey]) throws(SchemaInferenceError) -> (schema: JSON, value: Any?) {
        let wrapped = try context.infer(Wrapped.self, at: path)
        return (wrapped.schema.admittingNull, Wrapped?.none)
    }
}

/// `[Element]`: an array of the element schema; the value is empty.
extension Array: InferenceBuiltin where Element: Decodable {
    static func inferred(in context: InferenceContext, at path: [any CodingKey]) throws(SchemaInferenceError) -> (schema: JSON, value: Any?) {
        let element = try context.infer(Element.self, at: path + [InferenceKey(intValue: 0)])
        return (["type": "array", "items": element.schema], [Element]())
    }
}

/// `Set<Element>`: an array of the element schema (decoding drops duplicates, so they are
/// allowed); the value is empty.
extension Set: InferenceBuiltin where Element: Decodable {
    static func inferred(in context: InferenceContext, at path: [any CodingKey]) throws(SchemaInferenceError) -> (schema: JSON, value: Any?) {
        let element = try context.infer(Element.self, at: path + [InferenceKey(intValue: 0)])
        return (["type": "array", "items": element.schema], Set<Element>())
    }
}

/// `[String: Value]`: an object whose every member has the value schema; `[Int: Value]` also
/// requires integral member names. Other keys are a ``SchemaInferenceError``: `JSONDecoder`
/// reads such a dictionary from an array of alternating keys and values, which no model
/// writes. The value is empty.
extension Dictionary: InferenceBuiltin where Key: Decodable, Value: Decodable {
    static func inferred(in context: InferenceContext, at path: [any CodingKey]) throws(SchemaInferenceError) -> (schema: JSON, value: Any?) {
        let value = try context.infer(Value.self, at: path + [InferenceKey(stringValue: InferenceKeyedContainer<InferenceKey>.anyKey)])
        var schema: [String: JSON] = ["type": "object", "additionalProperties": value.schema]
        if Key.self == Int.self {
            schema["propertyNames"] = ["pattern": "^-?[0-9]+$"]
        } else if Key.self != String.self {
            throw SchemaInferenceError(
                .undescribableType, type: String(describing: Self.self), at: InferenceContext.pointer(path),
                "a dictionary is described only with String or Int keys, which JSON writes as object member names; "
                    + "use [String: \(Value.self)] and convert the keys, or conform a wrapper to JSONSchemaProviding")
        }
        return (.object(schema), [Key: Value]())
    }
}

/// ``JSON``: any value.
extension JSON: InferenceBuiltin {
    static func inferred(in context: InferenceContext, at path: [any CodingKey]) -> (schema: JSON, value: Any?) {
        ([:], JSON.null)
    }
}

/// `Date`: an RFC 3339 `date-time` string. `JSONEncoder` and `JSONDecoder` must use the
/// `.iso8601` date strategy to match; their default writes seconds since 2001 as a number.
extension Date: InferenceBuiltin {
    static func inferred(in context: InferenceContext, at path: [any CodingKey]) -> (schema: JSON, value: Any?) {
        (["type": "string", "format": "date-time"], Date(timeIntervalSinceReferenceDate: 0))
    }
}

/// `URL`: a `uri` string, as `JSONEncoder` writes it.
extension URL: InferenceBuiltin {
    static func inferred(in context: InferenceContext, at path: [any CodingKey]) -> (schema: JSON, value: Any?) {
        (["type": "string", "format": "uri"], URL(fileURLWithPath: "/"))
    }
}

/// `UUID`: a `uuid` string.
extension UUID: InferenceBuiltin {
    static func inferred(in context: InferenceContext, at path: [any CodingKey]) -> (schema: JSON, value: Any?) {
        (["type": "string", "format": "uuid"], UUID())
    }
}

/// `Data`: a base64 string, `JSONEncoder`'s default.
extension Data: InferenceBuiltin {
    static func inferred(in context: InferenceContext, at path: [any CodingKey]) -> (schema: JSON, value: Any?) {
        (["type": "string", "contentEncoding": "base64"], Data())
    }
}

/// `Decimal`: a number, as `JSONEncoder` writes it.
extension Decimal: InferenceBuiltin {
    static func inferred(in context: InferenceContext, at path: [any CodingKey]) -> (schema: JSON, value: Any?) {
        (["type": "number"], Decimal(1))
    }
}
