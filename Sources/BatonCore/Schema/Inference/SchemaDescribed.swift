/// A type that describes itself and its properties in the schema ``JSONSchemaInference`` infers
/// for it.
///
/// ```swift
/// struct SearchArguments: Codable, SchemaDescribed {
///     let query: String
///     let limit: Int?
///
///     static let schemaDescription = "A web search."
///     static let propertyHints: [String: [SchemaHint]] = [
///         "query": ["What to search for", .minLength(1)],
///         "limit": ["How many results at most", .minimum(1), .maximum(50)],
///     ]
/// }
/// ```
///
/// Keys are the JSON keys the type decodes (its `CodingKeys` raw values), not Swift property
/// names where the two differ. A key the type does not decode is a
/// ``SchemaInferenceError/Kind/invalidHint`` error, so a misspelt hint does not go unnoticed.
/// Hints apply to the type's own properties; a nested type describes its own. A `CaseIterable`
/// enum may conform for its description, with no hints.
///
/// `propertyHints` has no default on purpose: a literal that Swift infers as another type
/// (`["query": ["What to search for"]]` is a `[String: [String]]`) is then a compile error
/// rather than hints silently ignored. Annotate it `[String: [SchemaHint]]`.
public protocol SchemaDescribed {
    /// What the type is for; becomes the `description` of its schema. Default: empty, for none.
    static var schemaDescription: String { get }
    /// Descriptions and constraints per property, keyed by JSON key.
    static var propertyHints: [String: [SchemaHint]] { get }
}

extension SchemaDescribed {
    public static var schemaDescription: String { "" }
}

extension JSON {
    /// This inferred schema with `type`'s description and property hints applied.
    ///
    /// - Throws: ``SchemaInferenceError/Kind/invalidHint`` for a hint naming a property the
    ///   schema does not have.
    func described(by type: any SchemaDescribed.Type, at location: String) throws(SchemaInferenceError) -> JSON {
        guard case var .object(schema) = self else { return self }
        if !type.schemaDescription.isEmpty {
            schema["description"] = .string(type.schemaDescription)
        }
        let hints = type.propertyHints
        guard !hints.isEmpty else { return .object(schema) }
        var properties = schema["properties"]?.objectValue ?? [:]
        for (key, keyHints) in hints.sorted(by: { $0.key < $1.key }) {
            guard var property = properties[key] else {
                throw Self.unknownHintKey(key, of: type, among: properties.keys.sorted(), at: location)
            }
            if property == .bool(true) { property = [:] }
            if case var .object(members) = property {
                for hint in keyHints {
                    let (name, value) = hint.keyword
                    members[name] = value
                }
                properties[key] = .object(members)
            }
        }
        schema["properties"] = .object(properties)
        return .object(schema)
    }

    private static func unknownHintKey(
        _ key: String, of type: any SchemaDescribed.Type, among keys: [String], at location: String
    ) -> SchemaInferenceError {
        let known = keys.isEmpty
            ? "it decodes no object members"
            : "the keys it decodes are " + keys.map { "'\($0)'" }.joined(separator: ", ")
        return SchemaInferenceError(
            .invalidHint, type: String(describing: type), at: location,
            "propertyHints names '\(key)', which \(type) does not decode; \(known) (hints use JSON keys, not Swift property names)")
    }
}
