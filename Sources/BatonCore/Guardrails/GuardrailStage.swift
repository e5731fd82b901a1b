/// Where in a run content passes a guardrail: on its way into an agent, or on its way out.
///
/// The agent loop checks each stage at one place: ``input`` before the first model call,
/// ``toolResult`` before a tool's result joins the conversation, ``output`` on each model answer,
/// ``finalAnswer`` on the answer an agent (or a run) ends with.
public enum GuardrailStage: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// What a user (or a caller) gives an agent.
    case input
    /// A tool's result, before a model reads it: the way a prompt injection or a leaked record comes in.
    case toolResult = "tool_result"
    /// A model's answer, each turn.
    case output
    /// The answer an agent or a run ends with.
    case finalAnswer = "final_answer"

    /// Every stage: where a guardrail applies unless it says otherwise.
    public static let all = Set(allCases)

    /// The stage as YAML and events spell it: `input`, `tool_result`, `output`, `final_answer`.
    public var description: String { rawValue }
}
