/// An ordered list of models, cheap to expensive, and when to move up.
///
/// An agent starts on the first model. It moves to the next one when a provider keeps failing
/// (after the retries of ``ModelRetryPolicy``), and, as ``escalation`` says, when its answer fails
/// the output schema, when the step's success criterion failed on the previous attempt, or when
/// ``classifier`` finds the answer wanting. Each move is a `model.routed` event with its reason.
public struct ModelRouter: Sendable {
    public var name: String
    public var models: [ModelReference]
    public var escalation: Set<Escalation>
    /// Looks at a final answer (the answer and the scope of the agent's templates); a reason means
    /// "escalate". Only consulted when ``escalation`` holds ``Escalation/classifier``.
    public var classifier: (@Sendable (_ answer: JSON, _ scope: JSON) -> String?)?

    /// What moves an agent to the next model of its router.
    public enum Escalation: String, Sendable, Hashable, CaseIterable {
        /// The final answer failed the agent's output schema.
        case invalidOutput = "invalid_output"
        /// The step's success criterion failed: the step's next attempt starts one model up.
        case criterionFailed = "criterion_failed"
        /// The classifier said so.
        case classifier
    }

    public init(
        name: String, models: [ModelReference], escalation: Set<Escalation> = [.invalidOutput, .criterionFailed],
        classifier: (@Sendable (_ answer: JSON, _ scope: JSON) -> String?)? = nil
    ) {
        self.name = name
        self.models = models
        self.escalation = classifier == nil ? escalation : escalation.union([.classifier])
        self.classifier = classifier
    }
}
