extension EventType {
    /// Guardrails tripped on content: the stage, the decision (with the reason, or the roles
    /// that must approve), and every finding with its masked excerpt (``GuardrailVerdict/json``).
    public static let guardrailTripped: EventType = "guardrail.tripped"
}
