/// Turns a schema document into a ``SchemaProgram``.
///
/// Compilation first indexes each document it meets (the root, then any registered document a
/// reference names): it walks the subschemas, noting the schema resources that `$id` starts, the
/// base URI and dialect of each, and their `$anchor`s and `$dynamicAnchor`s. It then compiles
/// nodes on demand from the root, following `$ref`s to the locations they resolve to. Each
/// location is compiled once, so reference cycles become cycles of node indices.
struct SchemaCompiler {
    /// How deeply schemas may nest, and references chain, before compilation gives up.
    static let maximumDepth = 512

    /// A place in one of the documents: the unit that is compiled once.
    struct Location: Hashable {
        var document: Int
        /// An escaped JSON Pointer from the document's root.
        var pointer: String

        func appending(_ tokens: String...) -> Location {
            var copy = self
            for token in tokens { copy.pointer = SchemaPointer.appending(copy.pointer, token) }
            return copy
        }
    }

    /// A schema resource: the subtree an `$id` (or a document root) identifies.
    struct Resource {
        var uri: String
        var location: Location
        var dialect: SchemaDialect
        /// Plain-name fragments (`$anchor` and `$dynamicAnchor`) to pointers in the document.
        var anchors: [String: String] = [:]
        /// `$dynamicAnchor` names to pointers in the document.
        var dynamicAnchors: [String: String] = [:]
    }

    let registry: SchemaRegistry
    private(set) var documents: [(uri: String, json: JSON)] = []
    private var documentByURI: [String: Int] = [:]
    private(set) var resources: [Resource] = []
    private var resourceByURI: [String: Int] = [:]
    private var resourceAt: [Location: Int] = [:]
    private(set) var nodes: [SchemaNode] = []
    private var nodeAt: [Location: Int] = [:]
    var patternCache: [String: SchemaPattern] = [:]
    var usesDynamicScope = false
    private var depth = 0
    private var stack = SchemaStackGuard()

    init(registry: SchemaRegistry) {
        self.registry = registry
    }

    /// Compiles `schema` and everything it references.
    static func compile(_ schema: JSON, registry: SchemaRegistry) throws(SchemaError) -> SchemaProgram {
        var compiler = SchemaCompiler(registry: registry)
        let document = try compiler.addDocument(schema, uri: "")
        let root = try compiler.compile(Location(document: document, pointer: ""), json: schema)
        let dynamicAnchors = try compiler.compileDynamicAnchors()
        return SchemaProgram(
            nodes: compiler.nodes, root: root, dynamicAnchors: dynamicAnchors,
            usesDynamicScope: compiler.usesDynamicScope)
    }

    // MARK: - Compiling nodes

    /// The node for the schema at `location`, compiling it first if needed. `json` is the value at
    /// that location when the caller has it at hand.
    mutating func compile(_ location: Location, json: JSON? = nil) throws(SchemaError) -> Int {
        if let existing = nodeAt[location] { return existing }
        guard let schema = json ?? SchemaPointer.resolve(location.pointer, in: documents[location.document].json) else {
            throw SchemaError(.unresolvableReference, at: describe(location), "nothing exists at this location")
        }
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth, stack.hasRoom(atDepth: depth) else {
            throw SchemaError(.tooDeep, at: describe(location), "schemas nest more than \(depth - 1) levels deep")
        }
        let resource = resourceIndex(for: location)
        let index = nodes.count
        nodes.append(SchemaNode(body: .alwaysValid, resource: resource))  // placeholder while compiling
        nodeAt[location] = index
        nodes[index] = try buildNode(schema, at: location, resource: resource)
        return index
    }

    /// Compiles every `$dynamicAnchor` of every known resource (documents loaded while doing so
    /// included), and returns, per resource, its anchor names and their nodes.
    private mutating func compileDynamicAnchors() throws(SchemaError) -> [[String: Int]] {
        guard usesDynamicScope else { return [] }
        var next = 0
        while next < resources.count {
            let resource = resources[next]
            for pointer in resource.dynamicAnchors.values.sorted() {
                _ = try compile(Location(document: resource.location.document, pointer: pointer))
            }
            next += 1
        }
        return resources.map { resource in
            resource.dynamicAnchors.compactMapValues { pointer in
                nodeAt[Location(document: resource.location.document, pointer: pointer)]
            }
        }
    }

    // MARK: - References

    /// Where a reference leads: the location of the target schema, its resource, and the
    /// decoded fragment of the reference.
    struct Target {
        var location: Location
        var resource: Int
        var fragment: String
    }

    /// Resolves a `$ref` or `$dynamicRef` value written at `location`.
    mutating func resolve(_ reference: String, from location: Location, keyword: String) throws(SchemaError) -> Target {
        let base = SchemaURI(resources[resourceIndex(for: location)].uri)
        let target = base.resolving(SchemaURI(reference))
        let absolute = target.withoutFragment.string
        let here = describe(location.appending(keyword))
        guard let resourceIndex = try resource(named: absolute) else {
            throw SchemaError(
                .unresolvableReference, at: here,
                "\(keyword) \"\(reference)\" names \(absolute.isEmpty ? "this document" : absolute), which is not known; register it in the SchemaRegistry")
        }
        guard let fragment = SchemaPointer.percentDecoded(target.fragment ?? "") else {
            throw SchemaError(.unresolvableReference, at: here, "\(keyword) \"\(reference)\" has a malformed percent-encoding")
        }
        let resource = resources[resourceIndex]
        let found: Location?
        if fragment.isEmpty {
            found = resource.location
        } else if fragment.hasPrefix("/") {
            let candidate = Location(document: resource.location.document, pointer: resource.location.pointer + fragment)
            found = SchemaPointer.resolve(candidate.pointer, in: documents[candidate.document].json) == nil ? nil : candidate
        } else {
            found = resource.anchors[fragment].map { Location(document: resource.location.document, pointer: $0) }
        }
        guard let found else {
            throw SchemaError(
                .unresolvableReference, at: here,
                "\(keyword) \"\(reference)\" points to \"#\(fragment)\", which does not exist in \(absolute.isEmpty ? "this document" : absolute)")
        }
        return Target(location: found, resource: resourceIndex, fragment: fragment)
    }

    /// True when the resource's `$dynamicAnchor` named `name` sits exactly at `location`.
    func hasDynamicAnchor(_ name: String, at location: Location, in resource: Int) -> Bool {
        resources[resource].dynamicAnchors[name] == location.pointer
    }

    /// The resource whose URI is `uri`, loading the registered document that holds it if needed.
    private mutating func resource(named uri: String) throws(SchemaError) -> Int? {
        if let known = resourceByURI[uri] { return known }
        guard let (key, json) = registry.document(for: uri), documentByURI[key] == nil else { return nil }
        _ = try addDocument(json, uri: key)
        return resourceByURI[uri]
    }

    /// The resource a location belongs to: that of the nearest indexed enclosing schema.
    private func resourceIndex(for location: Location) -> Int {
        var pointer: String? = location.pointer
        while let current = pointer {
            if let resource = resourceAt[Location(document: location.document, pointer: current)] { return resource }
            pointer = SchemaPointer.parent(current)
        }
        return 0
    }

    // MARK: - Indexing documents

    /// Adds a document under its retrieval URI and indexes its resources and anchors.
    private mutating func addDocument(_ json: JSON, uri: String) throws(SchemaError) -> Int {
        let document = documents.count
        documents.append((uri, json))
        documentByURI[uri] = document
        let root = Location(document: document, pointer: "")
        try index(json, at: root, base: SchemaURI(uri), resource: nil, dialect: .standard, depth: 0)
        if resourceByURI[uri] == nil, let resource = resourceAt[root] { resourceByURI[uri] = resource }
        return document
    }

    private mutating func index(
        _ json: JSON, at location: Location, base: SchemaURI, resource: Int?, dialect: SchemaDialect, depth: Int
    ) throws(SchemaError) {
        guard depth <= Self.maximumDepth, stack.hasRoom(atDepth: depth) else {
            throw SchemaError(.tooDeep, at: describe(location), "schemas nest more than \(depth) levels deep")
        }
        let members = json.objectValue
        var base = base
        var dialect = dialect
        var resource = resource
        if case let .string(id)? = members?["$id"], !id.hasPrefix("#") {
            let identified = base.resolving(SchemaURI(id)).withoutFragment
            if identified != base || resource == nil {
                base = identified
                resource = nil
            }
        }
        let current: Int
        if let resource {
            current = resource
        } else {
            if case let .string(metaschema)? = members?["$schema"] {
                dialect = try SchemaDialect.named(metaschema, registry: registry, at: describe(location.appending("$schema")))
            }
            current = resources.count
            resources.append(Resource(uri: base.string, location: location, dialect: dialect))
            if resourceByURI[base.string] == nil { resourceByURI[base.string] = current }
        }
        resourceAt[location] = current
        guard let members else { return }
        if case let .string(anchor)? = members["$anchor"], resources[current].anchors[anchor] == nil {
            resources[current].anchors[anchor] = location.pointer
        }
        if case let .string(anchor)? = members["$dynamicAnchor"] {
            if resources[current].dynamicAnchors[anchor] == nil { resources[current].dynamicAnchors[anchor] = location.pointer }
            if resources[current].anchors[anchor] == nil { resources[current].anchors[anchor] = location.pointer }
        }
        for (tokens, subschema) in dialect.subschemas(of: members) {
            var child = location
            for token in tokens { child = child.appending(token) }
            try index(subschema, at: child, base: base, resource: current, dialect: dialect, depth: depth + 1)
        }
    }

    // MARK: - Errors

    /// A location as a schema error shows it: a pointer in the root document, or a URI with a
    /// pointer fragment in another.
    func describe(_ location: Location) -> String {
        let uri = documents[location.document].uri
        return location.document == 0 && uri.isEmpty ? location.pointer : uri + "#" + location.pointer
    }
}
