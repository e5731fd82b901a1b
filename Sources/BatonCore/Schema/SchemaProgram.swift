/// A schema compiled for validation: every subschema reachable from the root, with `$ref`s
/// resolved to node indices and regular expressions compiled. Immutable, so one program can
/// validate on many threads at once.
final class SchemaProgram: Sendable {
    /// The nodes; subschemas and references point into this array.
    let nodes: [SchemaNode]
    /// The node to start from.
    let root: Int
    /// For each schema resource, its `$dynamicAnchor` names and their nodes: where a
    /// `$dynamicRef` may land, depending on the resources evaluation passed through.
    let dynamicAnchors: [[String: Int]]
    /// True when some `$dynamicRef` depends on the dynamic scope, so the validator must track it.
    let usesDynamicScope: Bool

    init(nodes: [SchemaNode], root: Int, dynamicAnchors: [[String: Int]], usesDynamicScope: Bool) {
        self.nodes = nodes
        self.root = root
        self.dynamicAnchors = dynamicAnchors
        self.usesDynamicScope = usesDynamicScope
    }
}
