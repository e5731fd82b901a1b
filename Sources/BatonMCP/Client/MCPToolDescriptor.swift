import BatonCore

/// A tool a server offers, as `tools/list` describes it.
public struct MCPToolDescriptor: Sendable, Hashable {
    /// The name to call it by.
    public var name: String
    /// A name for people: the tool's `title`, or else its annotations' `title`.
    public var title: String?
    /// What the tool does, for a model to decide when to call it.
    public var description: String?
    /// The JSON Schema its arguments must match (an object schema).
    public var inputSchema: JSON
    /// The JSON Schema its `structuredContent` matches, if it declares one.
    public var outputSchema: JSON?
    /// The server's hints about the tool's behaviour, if it gave any. Hints, not guarantees.
    public var annotations: MCPToolAnnotations?

    /// Creates a descriptor.
    public init(name: String, title: String? = nil, description: String? = nil, inputSchema: JSON = ["type": "object"], outputSchema: JSON? = nil, annotations: MCPToolAnnotations? = nil) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.annotations = annotations
    }

    /// Reads one element of the `tools` array of a `tools/list` result.
    init(listed json: JSON) throws(JSONRPCMessage.DecodingError) {
        guard case let .string(name)? = json["name"] else {
            throw JSONRPCMessage.DecodingError(reason: "a tool in tools/list has no string \"name\"", excerpt: JSONRPCMessage.excerpt(json.canonicalString.utf8))
        }
        guard let inputSchema = json["inputSchema"], inputSchema.objectValue != nil else {
            throw JSONRPCMessage.DecodingError(reason: "tool '\(name)' has no \"inputSchema\" object", excerpt: JSONRPCMessage.excerpt(json.canonicalString.utf8))
        }
        let annotations = json["annotations"]?.objectValue.map { MCPToolAnnotations(JSON.object($0)) }
        self.init(
            name: name,
            title: json["title"]?.stringValue ?? annotations?.title,
            description: json["description"]?.stringValue,
            inputSchema: inputSchema,
            outputSchema: json["outputSchema"].flatMap { $0.objectValue == nil ? nil : $0 },
            annotations: annotations
        )
    }
}

/// The hints a server gives about a tool (`annotations`). Each is `nil` when the server did not
/// say; the protocol's defaults are then: not read-only, destructive, not idempotent, open-world.
public struct MCPToolAnnotations: Sendable, Hashable {
    /// A name for people.
    public var title: String?
    /// The tool does not change its environment.
    public var readOnlyHint: Bool?
    /// The tool may destroy or overwrite (meaningful only when not read-only).
    public var destructiveHint: Bool?
    /// Calling it again with the same arguments has no further effect.
    public var idempotentHint: Bool?
    /// The tool reaches an open world (the web, say) rather than a closed one (a local repository).
    public var openWorldHint: Bool?

    /// Creates annotations.
    public init(title: String? = nil, readOnlyHint: Bool? = nil, destructiveHint: Bool? = nil, idempotentHint: Bool? = nil, openWorldHint: Bool? = nil) {
        self.title = title
        self.readOnlyHint = readOnlyHint
        self.destructiveHint = destructiveHint
        self.idempotentHint = idempotentHint
        self.openWorldHint = openWorldHint
    }

    init(_ json: JSON) {
        self.init(
            title: json["title"]?.stringValue,
            readOnlyHint: json["readOnlyHint"]?.boolValue,
            destructiveHint: json["destructiveHint"]?.boolValue,
            idempotentHint: json["idempotentHint"]?.boolValue,
            openWorldHint: json["openWorldHint"]?.boolValue
        )
    }
}
