/// A step to execute: one node, in one superstep, at one position (the branch order).
public struct TaskSpec: Sendable, Hashable, Codable {
    /// `superstep.position`: stable across re-executions, the base of effect keys.
    public var key: String
    public var node: String
    /// The element a `map` node handed to this task, and its position in the list.
    public var item: JSON?
    public var itemIndex: Int?
    /// The node whose outgoing edges fire after this task: the node itself, or the `map` node for its elements.
    public var origin: String

    public init(key: String, node: String, item: JSON? = nil, itemIndex: Int? = nil, origin: String? = nil) {
        self.key = key
        self.node = node
        self.item = item
        self.itemIndex = itemIndex
        self.origin = origin ?? node
    }

    /// True for an element of a `map` fan-out.
    public var isMapItem: Bool { itemIndex != nil }
}

/// The state of a run between supersteps: enough to resume it, or to fork a new run from it.
public struct Checkpoint: Sendable, Hashable, Codable {
    /// The superstep about to run (0 before the first).
    public var superstep: Int
    public var state: JSON
    /// The tasks of this superstep, in branch order. Empty when the run has nothing left to do.
    public var frontier: [TaskSpec]
    /// How often each node has been scheduled.
    public var visits: [String: Int]
    /// Progress of join edges: edge number → sources completed since the join last fired.
    public var joins: [String: [String]]
    /// Node executions so far (map elements excluded).
    public var steps: Int
    /// What the run's steps have spent so far (`nil`: nothing).
    public var spent: Spending?
    /// Supersteps in a row that left the state unchanged, when the run watches for that (`nil`: none).
    public var unchangedSupersteps: Int?
    /// What the run's budget limits are multiplied by: the extensions humans granted (`nil`: none).
    public var budgetScale: Double?

    public init(
        superstep: Int, state: JSON, frontier: [TaskSpec], visits: [String: Int] = [:], joins: [String: [String]] = [:], steps: Int = 0,
        spent: Spending? = nil, unchangedSupersteps: Int? = nil, budgetScale: Double? = nil
    ) {
        self.superstep = superstep
        self.state = state
        self.frontier = frontier
        self.visits = visits
        self.joins = joins
        self.steps = steps
        self.spent = spent
        self.unchangedSupersteps = unchangedSupersteps
        self.budgetScale = budgetScale
    }
}

/// What the history keeps of a checkpoint: the writes that led to it (not the whole state, so
/// history grows with what changed, not with the size of the state) and its frontier.
public struct CheckpointRecord: Sendable, Hashable, Codable {
    public var superstep: Int
    /// For superstep 0, the initial state as replace-writes; after that, the previous superstep's writes in branch order.
    public var writes: [StateWrite]
    public var frontier: [TaskSpec]
    public var visits: [String: Int]
    public var joins: [String: [String]]
    public var steps: Int
    /// Milliseconds since 1970.
    public var time: Int64

    /// The history record of a run's first checkpoint: its initial state as replace-writes, keys in
    /// canonical order.
    public static func initial(_ checkpoint: Checkpoint, time: Int64) -> CheckpointRecord {
        let members = checkpoint.state.objectValue ?? [:]
        let writes = JSON.sortedKeys(members).map { StateWrite(key: $0, value: members[$0] ?? .null) }
        return CheckpointRecord(checkpoint, writes: writes, time: time)
    }

    /// The members a record shares with its checkpoint, as a checkpoint without state: what
    /// the record's encoders write beside its writes and time.
    var checkpointFields: Checkpoint {
        Checkpoint(superstep: superstep, state: .null, frontier: frontier, visits: visits, joins: joins, steps: steps)
    }

    public init(_ checkpoint: Checkpoint, writes: [StateWrite], time: Int64) {
        self.superstep = checkpoint.superstep
        self.writes = writes
        self.frontier = checkpoint.frontier
        self.visits = checkpoint.visits
        self.joins = checkpoint.joins
        self.steps = checkpoint.steps
        self.time = time
    }
}
