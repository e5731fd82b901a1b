/// Why ``JSONSchemaInference`` could not describe a type.
///
/// It is the type author's to fix, never a model's: each ``reason`` says what to change (make an
/// enum `CaseIterable`, make a self-reference `Optional`, conform to ``JSONSchemaProviding``).
///
/// ```swift
/// enum Unit: String, Codable { case celsius, fahrenheit }   // not CaseIterable
/// struct Weather: Codable { let unit: Unit }
/// do {
///     _ = try JSONSchemaInference.schema(for: Weather.self)
/// } catch {
///     print(error)
///     // cannot infer a JSON Schema for Unit at /unit: Unit.init(from:) rejected the placeholder
///     // value inference gave it (…); an enum with raw values needs CaseIterable, …
/// }
/// ```
public struct SchemaInferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What stopped the inference.
    public enum Kind: Sendable, Equatable {
        /// The type cannot be described by walking its `init(from:)`: it rejected the placeholder
        /// values inference feeds it (an enum without `CaseIterable`, an enum with associated
        /// values, a decoder that validates its input), or it is a dictionary whose keys are
        /// neither `String` nor `Int`. Conform it to ``JSONSchemaProviding``.
        case undescribableType
        /// The type contains itself with no `Optional`, array or dictionary in between, so no
        /// finite JSON value has it.
        case endlessRecursion
        /// ``SchemaDescribed/propertyHints`` names a key the type does not decode.
        case invalidHint
    }

    /// What stopped the inference.
    public var kind: Kind
    /// The type that could not be described, as Swift prints it.
    public var typeName: String
    /// Where the type sits in the described JSON: a JSON Pointer such as `/items/0/unit`, empty
    /// for the root.
    public var location: String
    /// What is wrong and what to do about it, in a sentence.
    public var reason: String

    /// Creates an error about `typeName` at `location` (a JSON Pointer).
    public init(_ kind: Kind, type typeName: String, at location: String, _ reason: String) {
        self.kind = kind
        self.typeName = typeName
        self.location = location
        self.reason = reason
    }

    public var description: String {
        "cannot infer a JSON Schema for \(typeName) at \(location.isEmpty ? "the root" : location): \(reason)"
    }
}
