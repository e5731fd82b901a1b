/// The agent's guardrails at their four stages: the prompt it is given (`input`), each tool
/// result before the model reads it (`tool_result`), each answer of the model (`output`), and the
/// final answer (`final_answer`). A tripped guardrail is recorded (`guardrail.tripped`); then the
/// content goes on redacted, waits for an approval, or is refused.
extension AgentConversation {
    /// Content that passed its guardrails (perhaps redacted), or the wait for an approval of it.
    enum Guarded: Sendable {
        case passed(GuardrailContent)
        case waiting(WaitCondition)
    }

    /// Checks the first user message and replaces it when it is redacted.
    mutating func guardPrompt() async throws -> Guarded {
        guard let prompt = transcript.messages.dropFirst().first else { return .passed(.text("")) }
        let outcome = try await guarded(.text(prompt.content), stage: .input, id: "input")
        if case let .passed(content) = outcome, content.text != prompt.content {
            transcript.replace(at: 1, with: .user(content.text))
        }
        return outcome
    }

    /// `content` past the agent's guardrails of `stage`, in the step's own journal.
    func guarded(_ content: GuardrailContent, stage: GuardrailStage, id: String) async throws -> Guarded {
        try await checkContent(content, stage: stage, id: id, context: context)
    }

    /// `content` past the agent's guardrails of `stage`; a refusal throws ``GuardrailDeniedError``.
    /// `id` names the content in its step, for an approval request.
    func checkContent(_ content: GuardrailContent, stage: GuardrailStage, id: String, context: StepContext) async throws -> Guarded {
        let guardrails = agent.guardrails
        guard guardrails.applies(to: stage) else { return .passed(content) }
        let verdict = await guardrails.check(content, stage: stage)
        guard verdict.tripped else { return .passed(content) }
        var data = verdict.json.objectValue ?? [:]
        data["agent"] = .string(agent.name)
        context.record(.guardrailTripped, .object(data))
        switch verdict.decision {
        case .allow:
            return .passed(content)
        case .redact:
            return .passed(verdict.redacted(content))
        case let .deny(reason):
            throw GuardrailDeniedError(agent: agent.name, stage: stage, reason: reason)
        case let .requireApproval(roles):
            let shown = verdict.redacted(content)
            let approvalID = context.run.rawValue + "/" + context.step + "/guardrail-" + id
            let outcome = try await ApprovalGate(store: context.journal.store).outcome(of: approvalID) {
                ApprovalRequest(
                    id: approvalID, run: context.run, step: context.step, node: context.node,
                    action: "let agent '\(agent.name)' go on with content that tripped \(verdict.findings.map(\.guardrail).uniqued().joined(separator: ", "))",
                    reason: "guardrails at the \(stage.rawValue) stage ask for approval", risk: .high,
                    arguments: ["content": shown.json, "stage": .string(stage.rawValue)], role: roles.first ?? "operator", requestedAt: EventDraft.now()
                )
            }
            switch outcome {
            case let .waiting(condition):
                return .waiting(condition)
            case let .decided(record):
                guard record.decision?.approved == true else {
                    throw GuardrailDeniedError(agent: agent.name, stage: stage, reason: PolicyGate.rejection(record))
                }
                return .passed(shown)
            }
        }
    }
}

/// Content a guardrail refused, where nothing can take its place: the step fails.
public struct GuardrailDeniedError: Error, Sendable, Hashable, CustomStringConvertible, NodeErrorConvertible {
    public var agent: String
    public var stage: GuardrailStage
    public var reason: String

    public init(agent: String, stage: GuardrailStage, reason: String) {
        self.agent = agent
        self.stage = stage
        self.reason = reason
    }

    public var description: String { "agent '\(agent)': the guardrails refused its \(stage.rawValue.replacingOccurrences(of: "_", with: " ")): \(reason)" }

    public var nodeError: NodeError { NodeError(code: "guardrail_denied", message: description, retryable: false) }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}

extension GuardrailContent {
    /// The content as JSON: the value itself, or the text as a string.
    var json: JSON {
        switch self {
        case let .text(text): return .string(text)
        case let .json(value): return value
        }
    }
}
