/// The kind of an ``Event``: a dotted name such as `step.succeeded`. Later modules add their own
/// (`model.request`, `tool.call`, `policy.decision`) without changing this type.
public struct EventType: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public static let runStarted: EventType = "run.started"
    public static let runResumed: EventType = "run.resumed"
    public static let runWaiting: EventType = "run.waiting"
    public static let runSucceeded: EventType = "run.succeeded"
    public static let runFailed: EventType = "run.failed"
    public static let runCancelled: EventType = "run.cancelled"
    public static let runCancelRequested: EventType = "run.cancel_requested"
    public static let runLimitExceeded: EventType = "run.limit_exceeded"
    public static let runForked: EventType = "run.forked"
    public static let stepStarted: EventType = "step.started"
    public static let stepAttemptFailed: EventType = "step.attempt_failed"
    public static let stepSucceeded: EventType = "step.succeeded"
    public static let stepFailed: EventType = "step.failed"
    public static let stepFallback: EventType = "step.fallback"
    public static let stepWaiting: EventType = "step.waiting"
    public static let effectRecorded: EventType = "effect.recorded"
    /// The end of a superstep of several steps, with the nodes of the next one. (A superstep of one
    /// step carries `next` in that step's `step.succeeded` event instead.)
    public static let superstepCompleted: EventType = "superstep.completed"
    public static let signalReceived: EventType = "signal.received"
    /// One event per attempt of a tool call (tool, attempt, idempotency key, duration; the first
    /// attempt's carries the arguments): it succeeded, with its result unless the call is journaled…
    public static let toolSucceeded: EventType = "tool.succeeded"
    /// …or it failed, and `will_retry` says whether another attempt follows.
    public static let toolFailed: EventType = "tool.failed"
    /// A call was refused before the tool ran: unknown tool, invalid arguments, open circuit.
    public static let toolRejected: EventType = "tool.rejected"
    /// Every attempt failed and the call goes on to the contract's fallback tool.
    public static let toolFallback: EventType = "tool.fallback"
    /// A call whose result was journaled before a crash: the journaled result is returned and the
    /// tool does not run again.
    public static let toolReplayed: EventType = "tool.replayed"
}
