/// A schema that cannot be compiled: a keyword whose value has the wrong form, a `$ref` that
/// resolves to nothing, a `pattern` that is not a regular expression.
///
/// It is the schema author's mistake, never the instance's: ``JSONSchema/init(_:registry:)``
/// throws it, and ``JSONSchema/validate(_:)`` never does.
///
/// ```swift
/// do {
///     _ = try JSONSchema(["type": 5])
/// } catch {
///     print(error)
///     // invalid schema at /type: "type" must be a type name or a non-empty array of type names, got integer 5
/// }
/// ```
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of mistake the schema makes.
    public enum Kind: Sendable, Equatable {
        /// A keyword's value has the wrong type or range (`{"minLength": -1}`), or a subschema is
        /// neither an object nor a boolean.
        case invalidKeyword
        /// A `$ref` or `$dynamicRef` names a document, anchor or JSON Pointer that does not exist.
        /// Register remote documents with ``SchemaRegistry/register(_:as:)``.
        case unresolvableReference
        /// A `pattern` or `patternProperties` key is not a valid regular expression.
        case invalidPattern
        /// The schema's `$schema` meta-schema requires a vocabulary this validator does not know.
        case unsupportedVocabulary
        /// The schema is nested more deeply than the compiler allows.
        case tooDeep
    }

    /// What kind of mistake the schema makes.
    public var kind: Kind
    /// Where: a JSON Pointer into the schema, such as `/properties/age/minimum` (empty for the
    /// root). For a mistake inside a registered document it is that document's URI, `#`, and the
    /// pointer.
    public var location: String
    /// What is wrong, in a sentence.
    public var reason: String

    /// Creates an error; `location` is a JSON Pointer, or a URI with a pointer fragment.
    public init(_ kind: Kind, at location: String, _ reason: String) {
        self.kind = kind
        self.location = location
        self.reason = reason
    }

    public var description: String {
        "invalid schema at \(location.isEmpty ? "the root" : location): \(reason)"
    }
}
