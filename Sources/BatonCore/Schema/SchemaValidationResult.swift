/// The outcome of ``JSONSchema/validate(_:)``: valid, or every error found.
public struct SchemaValidationResult: Sendable, Equatable {
    /// True when the instance satisfies the schema.
    public var isValid: Bool { errors.isEmpty }
    /// The errors, in the order the validator found them; empty when the instance is valid.
    public var errors: [SchemaValidationError]

    /// Creates a result from a list of errors.
    public init(errors: [SchemaValidationError] = []) {
        self.errors = errors
    }
}

/// One way in which an instance fails a schema: where in the instance, which keyword, and what
/// to change, in a sentence a language model (or a person) can act on.
///
/// ```swift
/// let schema = try JSONSchema(["properties": ["age": ["type": "integer"]]])
/// let error = schema.validate(["age": "abc"]).errors[0]
/// error.instancePath  // "/age"
/// error.schemaPath    // "/properties/age/type"
/// error.message       // "expected integer, got string \"abc\""
/// ```
public struct SchemaValidationError: Sendable, Equatable, CustomStringConvertible {
    /// A JSON Pointer to the offending value in the instance, such as `/items/2/name`; empty for
    /// the instance itself.
    public var instancePath: String
    /// A JSON Pointer to the failing keyword along the evaluation path through the schema, such
    /// as `/properties/items/items/required`. It passes through `$ref` (as `/$ref/...`), so it
    /// says how the validator reached the keyword.
    public var schemaPath: String
    /// What is wrong: "missing required property 'name'", "must be at most 10".
    public var message: String

    /// Creates an error.
    public init(instancePath: String, schemaPath: String, message: String) {
        self.instancePath = instancePath
        self.schemaPath = schemaPath
        self.message = message
    }

    /// The error on one line: `/age: expected integer, got string "abc" (schema /properties/age/type)`.
    public var description: String {
        "\(instancePath.isEmpty ? "(root)" : instancePath): \(message) (schema \(schemaPath.isEmpty ? "(root)" : schemaPath))"
    }
}
