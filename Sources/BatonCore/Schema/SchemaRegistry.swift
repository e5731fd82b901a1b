/// The schema documents a `$ref` may name besides the schema itself, keyed by URI. Nothing is
/// ever fetched from the network: a reference to a document that is not registered is a
/// ``SchemaError``.
///
/// The draft 2020-12 meta-schemas (`https://json-schema.org/draft/2020-12/schema` and its
/// vocabulary meta-schemas) are always known, so a schema can be checked against the meta-schema:
///
/// ```swift
/// var registry = SchemaRegistry()
/// registry.register(["type": "string", "minLength": 1], as: "https://example.com/name.json")
/// let person = try JSONSchema(
///     ["properties": ["name": ["$ref": "https://example.com/name.json"]]], registry: registry)
/// ```
public struct SchemaRegistry: Sendable {
    /// Registered documents by their URI, without fragment.
    private var documents: [String: JSON] = [:]
    /// For each `$id` found inside a registered document, the URI of that document.
    private var embedded: [String: String] = [:]

    /// A registry that knows only the draft 2020-12 meta-schemas.
    public init() {}

    /// Makes `schema` available to `$ref` under `uri` (an absolute URI; a fragment is ignored).
    /// Schema resources embedded in it with their own `$id` become reachable by that identifier
    /// too. Registering a URI again replaces the earlier document.
    public mutating func register(_ schema: JSON, as uri: String) {
        let base = SchemaURI(uri).withoutFragment
        let key = base.string
        documents[key] = schema
        Self.collectIdentifiers(in: schema, base: base, dialect: .standard, depth: 0) { identifier in
            if identifier != key, embedded[identifier] == nil { embedded[identifier] = key }
        }
    }

    /// The document holding the resource `uri` (absolute, without fragment), with the URI it was
    /// registered under: a registered document, one that embeds a resource with that `$id`, or a
    /// bundled meta-schema.
    func document(for uri: String) -> (uri: String, json: JSON)? {
        if let json = documents[uri] { return (uri, json) }
        if let key = embedded[uri], let json = documents[key] { return (key, json) }
        if let json = SchemaMetaschemas.documents[uri] { return (uri, json) }
        return nil
    }

    private static func collectIdentifiers(
        in schema: JSON, base: SchemaURI, dialect: SchemaDialect, depth: Int, _ found: (String) -> Void
    ) {
        guard depth < SchemaCompiler.maximumDepth, case let .object(members) = schema else { return }
        var base = base
        if case let .string(id)? = members["$id"], !id.hasPrefix("#") {
            base = base.resolving(SchemaURI(id)).withoutFragment
            found(base.string)
        }
        for (_, subschema) in dialect.subschemas(of: members) {
            collectIdentifiers(in: subschema, base: base, dialect: dialect, depth: depth + 1, found)
        }
    }
}
