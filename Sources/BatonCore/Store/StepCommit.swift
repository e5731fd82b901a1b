/// Everything one finished step changes, committed by the store in ONE transaction: its events,
/// its result, and, when it completes its superstep, the new checkpoint and run status.
public struct StepCommit: Sendable {
    public var run: RunID
    /// The lease the committer holds; the store refuses a commit from an owner that lost it.
    public var owner: LeaseOwner
    /// The superstep the result belongs to.
    public var superstep: Int
    public var result: StepResult?
    public var events: [EventDraft]
    public var advance: RunAdvance?
    /// Signals this step consumed: they are deleted from the run's mailbox.
    public var consumedSignals: [Int64]

    public init(
        run: RunID, owner: LeaseOwner, superstep: Int, result: StepResult? = nil, events: [EventDraft] = [],
        advance: RunAdvance? = nil, consumedSignals: [Int64] = []
    ) {
        self.run = run
        self.owner = owner
        self.superstep = superstep
        self.result = result
        self.events = events
        self.advance = advance
        self.consumedSignals = consumedSignals
    }
}

/// How a run moves on: a new checkpoint (a completed superstep) and/or a new status.
public struct RunAdvance: Sendable {
    /// The next checkpoint; its history record keeps `writes`.
    public var checkpoint: Checkpoint?
    public var writes: [StateWrite]
    public var status: RunStatus
    public var output: JSON?
    public var reason: String?
    public var waitingFor: [WaitCondition]

    public init(
        checkpoint: Checkpoint? = nil, writes: [StateWrite] = [], status: RunStatus, output: JSON? = nil, reason: String? = nil,
        waitingFor: [WaitCondition] = []
    ) {
        self.checkpoint = checkpoint
        self.writes = writes
        self.status = status
        self.output = output
        self.reason = reason
        self.waitingFor = waitingFor
    }
}

/// What the store reports back after a commit.
public struct CommitReceipt: Sendable, Hashable {
    /// Someone asked for the run to be cancelled: the engine stops at once.
    public var cancelRequested: Bool
    public var lastSeq: Int

    public init(cancelRequested: Bool, lastSeq: Int) {
        self.cancelRequested = cancelRequested
        self.lastSeq = lastSeq
    }
}

/// An effect's recorded result, and the event that records it.
public struct EffectRecord: Sendable, Hashable {
    public var run: RunID
    public var step: String
    public var index: Int
    public var name: String
    public var value: JSON
    public var event: EventDraft

    public init(run: RunID, step: String, index: Int, name: String, value: JSON, event: EventDraft) {
        self.run = run
        self.step = step
        self.index = index
        self.name = name
        self.value = value
        self.event = event
    }
}
