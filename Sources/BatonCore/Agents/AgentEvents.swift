extension EventType {
    /// An agent began a conversation: its model or router, prompt version, tools and limits.
    public static let agentStarted: EventType = "agent.started"
    /// An agent gave its final answer, with the turns, tokens and cost it took.
    public static let agentFinished: EventType = "agent.finished"
    /// An agent stopped at one of its limits.
    public static let agentLimitExceeded: EventType = "agent.limit_exceeded"
    /// A final answer failed the output schema; its errors went back to the model.
    public static let agentOutputInvalid: EventType = "agent.output_invalid"
    /// A re-executed step told its agent that the answer it gave before failed the step's success
    /// criterion, and asked again.
    public static let agentCriterionFailed: EventType = "agent.criterion_failed"
    /// An agent's conversation so far was replaced by a summary (a soft limit asked for it), with
    /// the estimated tokens before and after.
    public static let agentSummarized: EventType = "agent.summarized"
    /// An agent transferred the conversation to another.
    public static let agentHandoff: EventType = "agent.handoff"
    /// A model answered: the full request (messages, tools, parameters), the prompt version, the
    /// response, usage, cost and latency. It is the journal's record of the call.
    public static let modelCalled: EventType = "model.called"
    /// One attempt of a model call failed, and whether it will be retried.
    public static let modelFailed: EventType = "model.failed"
    /// A re-executed step took a model's answer from the journal instead of calling it again.
    public static let modelReplayed: EventType = "model.replayed"
    /// An agent moved to another model of its router, and why.
    public static let modelRouted: EventType = "model.routed"
    /// A model called a tool the agent may not use; the refusal went back to the model.
    public static let toolRefused: EventType = "tool.refused"
    /// A cached model answer or pure tool result was used.
    public static let cacheHit: EventType = "cache.hit"
    /// Nothing was cached for a call that may be cached; the answer was stored.
    public static let cacheMiss: EventType = "cache.miss"
}
