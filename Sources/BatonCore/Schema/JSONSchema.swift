/// A JSON Schema (draft 2020-12), compiled once and ready to validate many instances.
///
/// Compiling resolves every `$ref`, checks every keyword's value and compiles every `pattern`, so
/// a schema that compiles cannot fail later, and ``validate(_:)`` does no parsing. A compiled
/// schema is an immutable value: share it freely between tasks.
///
/// ```swift
/// let schema = try JSONSchema([
///     "type": "object",
///     "properties": ["name": ["type": "string"], "age": ["type": "integer", "maximum": 150]],
///     "required": ["name"],
/// ])
/// schema.isValid(["name": "Ada", "age": 36])  // true
/// for error in schema.validate(["age": 200]).errors {
///     print(error)
///     // /age: must be at most 150 (schema /properties/age/maximum)
///     // (root): missing required property 'name' (schema /required)
/// }
/// ```
///
/// Supported: every draft 2020-12 keyword of the core, applicator, unevaluated and validation
/// vocabularies, including `$dynamicRef`, `unevaluatedProperties` and `$vocabulary`. `format`,
/// the content keywords and the meta-data keywords are annotations and are not asserted.
/// References to other documents resolve only through the ``SchemaRegistry``; nothing is
/// fetched. See `docs/json-schema.md`.
public struct JSONSchema: Sendable {
    /// The schema as given.
    public let source: JSON
    private let program: SchemaProgram

    /// Compiles `schema`. `registry` supplies the documents that `$ref`s to other URIs need.
    ///
    /// - Throws: ``SchemaError`` when the schema is not a valid schema: a keyword whose value has
    ///   the wrong form, a reference that resolves to nothing, an invalid regular expression.
    public init(_ schema: JSON, registry: SchemaRegistry = SchemaRegistry()) throws(SchemaError) {
        self.source = schema
        self.program = try SchemaCompiler.compile(schema, registry: registry)
    }

    /// Validates `instance` and returns every error, each with the instance location, the
    /// keyword location and a message. Never throws: an invalid instance is a result.
    public func validate(_ instance: JSON) -> SchemaValidationResult {
        if isValid(instance) { return SchemaValidationResult() }
        var evaluator = SchemaEvaluator(program: program, collecting: true)
        let valid = evaluator.run(instance)
        var errors = evaluator.errors
        if errors.isEmpty, !valid {
            errors.append(SchemaValidationError(instancePath: "", schemaPath: "", message: "the instance does not match the schema"))
        }
        return SchemaValidationResult(errors: errors)
    }

    /// True when `instance` is valid. Faster than ``validate(_:)``: it stops at the first failure
    /// and builds no messages.
    public func isValid(_ instance: JSON) -> Bool {
        var evaluator = SchemaEvaluator(program: program, collecting: false)
        return evaluator.run(instance)
    }
}
