/// Infers the JSON Schema (draft 2020-12) of a `Decodable` type, so that a tool's input schema
/// comes from its Swift input type.
///
/// ```swift
/// struct AddArguments: Codable { let a: Int; let b: Int; let note: String? }
/// let schema = try JSONSchemaInference.schema(for: AddArguments.self)
/// // {"type": "object",
/// //  "properties": {"a": {"type": "integer"}, "b": {"type": "integer"},
/// //                 "note": {"type": ["string", "null"]}},
/// //  "required": ["a", "b"], "additionalProperties": false}
/// ```
///
/// Inference runs the type's `init(from:)` on a decoder that holds no JSON: it records each
/// member the code decodes and with which type, and answers with placeholder values. So it
/// describes what the type actually reads, `CodingKeys` and hand-written decoders included:
///
/// - `decode` makes a member required, `decodeIfPresent` (an `Optional` property) optional and
///   nullable; every object schema has `"additionalProperties": false`, so a misspelt key is an
///   error the model can read.
/// - `Bool`, `String`, the integer types (`integer`, bounded for the narrow ones), `Double` and
///   `Float` (`number`); `Date` (`date-time` string), `URL` (`uri`), `UUID` (`uuid`), `Data`
///   (base64), `Decimal` (`number`); ``JSON`` (anything).
/// - Nested types as nested objects; arrays and sets as `items`; `[String: V]` and `[Int: V]` as
///   objects with `additionalProperties`.
/// - `CaseIterable` enums with `String` or number raw values as `enum`.
/// - Recursive types through `$ref`: `#` for the root type, `#/$defs/Name` for others.
/// - ``SchemaDescribed`` adds descriptions and constraints; ``JSONSchemaProviding`` replaces
///   inference for a type.
///
/// Not inferable, and a ``SchemaInferenceError`` that says so: enums without `CaseIterable` or
/// with associated values, and decoders that reject the placeholders (validating, or trying
/// several forms); conform those to ``JSONSchemaProviding``. `Date` needs the `.iso8601`
/// strategy on the coders that read and write the instances.
public enum JSONSchemaInference {
    /// The JSON Schema of `type`.
    ///
    /// Compile it with ``JSONSchema/init(_:registry:)``; encoded values of `type` are valid
    /// against it, and JSON it accepts decodes as `type` (placeholder checks in a hand-written
    /// decoder aside).
    ///
    /// - Throws: ``SchemaInferenceError`` when the type cannot be described (see its kinds).
    public static func schema<T: Decodable>(for type: T.Type) throws(SchemaInferenceError) -> JSON {
        let context = InferenceContext(root: type)
        let schema = try context.infer(type, at: []).schema
        guard !context.definitions.isEmpty, case var .object(members) = schema else { return schema }
        members["$defs"] = .object(context.definitions)
        return .object(members)
    }
}
