/// A run as the store keeps it.
public struct RunRecord: Sendable, Hashable, Codable {
    public var id: RunID
    public var workflowName: String
    /// The content hash of the workflow version this run executes.
    public var workflowHash: String
    public var status: RunStatus
    public var input: JSON
    /// Labels given when the run started (`eu`, `customer:acme`): policies match on them
    /// (`subject: { tags: [eu] }`), child runs and forks inherit them.
    public var tags: [String]
    /// The current checkpoint: state, frontier and counters.
    public var checkpoint: Checkpoint
    public var output: JSON?
    /// Why the run failed, was cancelled or exceeded a limit.
    public var reason: String?
    /// The run this one was forked from, or the parent of a child run.
    public var parent: RunParent?
    public var cancelRequested: Bool
    /// What a waiting run waits for.
    public var waitingFor: [WaitCondition]
    /// Milliseconds since 1970.
    public var createdAt: Int64
    public var updatedAt: Int64
    /// The last event's number and hash: where the next event chains on.
    public var lastSeq: Int
    public var lastHash: String
    /// The store's ``AuditKey`` MAC of the run's head (see ``head``); `nil` when it has no key.
    public var headMAC: String?
    /// The engine executing the run, and when its lease expires (milliseconds since 1970).
    public var leaseOwner: LeaseOwner?
    public var leaseExpiresAt: Int64?

    public init(
        id: RunID, workflowName: String, workflowHash: String, status: RunStatus, input: JSON, checkpoint: Checkpoint,
        output: JSON? = nil, reason: String? = nil, parent: RunParent? = nil, cancelRequested: Bool = false,
        waitingFor: [WaitCondition] = [], createdAt: Int64, updatedAt: Int64, lastSeq: Int = 0, lastHash: String = EventChain.genesis,
        tags: [String] = []
    ) {
        self.id = id
        self.workflowName = workflowName
        self.workflowHash = workflowHash
        self.status = status
        self.input = input
        self.tags = tags
        self.checkpoint = checkpoint
        self.output = output
        self.reason = reason
        self.parent = parent
        self.cancelRequested = cancelRequested
        self.waitingFor = waitingFor
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastSeq = lastSeq
        self.lastHash = lastHash
    }

    /// Where the run's chain ends: what verification compares the journal's end with.
    public var head: ChainHead { ChainHead(run: id, seq: lastSeq, hash: lastHash, mac: headMAC) }
}

/// How a run relates to the run it came from.
public struct RunParent: Sendable, Hashable, Codable {
    public enum Relation: String, Sendable, Codable {
        /// Forked by time travel from a checkpoint of `run`.
        case fork
        /// Started by a `workflow` node of `run`.
        case child
    }

    public var run: RunID
    public var relation: Relation
    /// The checkpoint forked from, or the step that started the child.
    public var at: String

    public init(run: RunID, relation: Relation, at: String) {
        self.run = run
        self.relation = relation
        self.at = at
    }
}

/// A workflow version as the store keeps it, so that a run can resume after its file changed or
/// went away: its source document (YAML or JSON) and format.
public struct StoredWorkflow: Sendable, Hashable, Codable {
    public var hash: String
    public var name: String
    public var versionLabel: String?
    /// `yaml` for a document `BatonSpec` can load again; `swift` for a workflow built in code
    /// (the application must register it again to resume its runs).
    public var format: String
    public var source: String
    /// Where the document was loaded from, for `sub-workflow` references relative to it.
    public var location: String?

    public init(hash: String, name: String, versionLabel: String?, format: String, source: String, location: String? = nil) {
        self.hash = hash
        self.name = name
        self.versionLabel = versionLabel
        self.format = format
        self.source = source
        self.location = location
    }
}

/// A signal delivered to a run, kept until a `wait` node consumes it.
public struct SignalRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var run: RunID
    public var name: String
    public var payload: JSON
    public var time: Int64

    public init(id: Int64, run: RunID, name: String, payload: JSON, time: Int64) {
        self.id = id
        self.run = run
        self.name = name
        self.payload = payload
        self.time = time
    }
}

/// Which runs to list.
public struct RunQuery: Sendable, Hashable {
    public var status: RunStatus?
    public var workflow: String?
    public var limit: Int

    public init(status: RunStatus? = nil, workflow: String? = nil, limit: Int = 100) {
        self.status = status
        self.workflow = workflow
        self.limit = limit
    }
}
