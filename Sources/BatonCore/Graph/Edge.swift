/// A directed connection between nodes.
///
/// - A static edge has one source and one target.
/// - A parallel edge has several targets: they run side by side in the next superstep.
/// - A conditional edge has a ``Condition``; it is taken only when the condition holds over the
///   state after the source's superstep and the source's `output`.
/// - A join edge has several sources: its targets run once all of them have completed.
///
/// The target ``Edge/end`` ends the path.
public struct Edge: Sendable {
    /// The pseudo-node that ends a path.
    public static let end = "end"

    public var from: [String]
    public var to: [String]
    public var condition: Condition?

    public init(from: [String], to: [String], when condition: Condition? = nil) {
        self.from = from
        self.to = to
        self.condition = condition
    }

    public init(_ from: String, _ to: String, when condition: Condition? = nil) {
        self.init(from: [from], to: [to], when: condition)
    }

    /// True for an edge that waits for several sources.
    public var isJoin: Bool { from.count > 1 }

    var structure: JSON {
        var members: [String: JSON] = ["from": .array(from.map(JSON.string)), "to": .array(to.map(JSON.string))]
        if let condition { members["when"] = condition.structure }
        return .object(members)
    }
}
