/// A type that states its JSON Schema itself instead of having it inferred.
///
/// ``JSONSchemaInference`` uses ``jsonSchema`` as it is, for the type at the root and wherever it
/// appears inside another type, and adds nothing to it (no `additionalProperties`, no hints).
/// Conform types whose `init(from:)` inference cannot walk: an enum with associated values, a
/// type that accepts several representations, a decoder that validates what it reads.
///
/// ```swift
/// struct Temperature: Codable, JSONSchemaProviding {
///     var celsius: Double
///     init(from decoder: any Decoder) throws { … }   // reads "21.5C" or "70F"
///     static var jsonSchema: JSON {
///         ["type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?[CF]$", "examples": ["21.5C"]]
///     }
/// }
/// ```
///
/// When such a type sits inside another one, inference still needs one value of it to carry on
/// through the outer type's `init(from:)`. It decodes the first of the schema's `default`,
/// `examples`, `const` or `enum` values that the type accepts (with `JSON.decode(_:)`), and
/// otherwise feeds the type's `init(from:)` placeholders. A type that rejects both can only be
/// an `Optional` member; give its schema an `examples` entry.
public protocol JSONSchemaProviding {
    /// The type's JSON Schema (draft 2020-12).
    static var jsonSchema: JSON { get }
}
