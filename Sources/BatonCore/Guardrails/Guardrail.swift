/// A check on content at one or more stages of a run: before it reaches an agent or a model
/// (user input, tool results), and after a model produced it (each answer, the final answer).
///
/// Built in: ``DetectorGuardrail`` (personal data and secrets), ``DenyPatternGuardrail``
/// (regular expressions), ``MaxLengthGuardrail`` and ``SchemaGuardrail``. Write your own with
/// ``ClosureGuardrail`` or by conforming a type. A ``GuardrailSet`` runs the guardrails of a
/// stage in order and combines their verdicts.
///
/// `check` is `async` because a custom guardrail may need to ask something (a moderation
/// model, a classifier service); the built-ins never suspend, so for them it costs what a
/// function call costs. A guardrail that throws does not let the content through: the
/// ``GuardrailSet`` turns the error into a denial (fail closed).
public protocol Guardrail: Sendable {
    /// The guardrail's name, unique in its set: what agents select and findings name.
    var name: String { get }
    /// The stages it checks; by default, all of them.
    var stages: Set<GuardrailStage> { get }

    /// Checks `content` at `stage`. Findings carry the guardrail's name and action; no findings
    /// means the content passes.
    func check(_ content: GuardrailContent, stage: GuardrailStage) async throws -> GuardrailVerdict
}

extension Guardrail {
    /// Every stage.
    public var stages: Set<GuardrailStage> { GuardrailStage.all }
}

/// Why a guardrail or a set of guardrails cannot be built.
public enum GuardrailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A deny pattern is not a regular expression the linear-time matcher runs.
    case invalidPattern(guardrail: String, pattern: String, reason: String)
    /// The guardrail cannot take this action (a length or a schema has nothing to redact).
    case unsupportedAction(guardrail: String, action: GuardrailAction, reason: String)
    /// A setting is out of range (a maximum length below 1, an empty name).
    case invalidSetting(guardrail: String, reason: String)
    /// Two guardrails of a set have the same name.
    case duplicateName(String)
    /// A selection names a guardrail the set does not have.
    case unknownGuardrail(String, known: [String])

    /// What went wrong and what to do, in a sentence.
    public var description: String {
        switch self {
        case let .invalidPattern(guardrail, pattern, reason):
            return "guardrail '\(guardrail)': the deny pattern '\(pattern)' cannot be used: \(reason)"
        case let .unsupportedAction(guardrail, action, reason):
            return "guardrail '\(guardrail)' cannot \(action): \(reason); use deny or require_approval"
        case let .invalidSetting(guardrail, reason):
            return "guardrail '\(guardrail)': \(reason)"
        case let .duplicateName(name):
            return "two guardrails are named '\(name)'; give each a name of its own"
        case let .unknownGuardrail(name, known):
            return "no guardrail is named '\(name)' (there are: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
        }
    }
}
