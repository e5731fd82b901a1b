/// The policy checks of a step's actions, with what each verdict does: before a tool call (go on,
/// go on with redacted arguments, refuse with the reason, or park for an approval), after it (the
/// result, redacted, or withheld), before a model call and before a hand-off. Every decision is
/// recorded as a `policy.decided` event, the receipt naming the rule that decided.
struct PolicyGate: Sendable {
    let governance: Governance
    let context: StepContext
    let subject: PolicySubject

    init?(_ context: StepContext, agent: String? = nil, role: String? = nil) {
        guard let governance = context.governance, governance.policies != nil else { return nil }
        self.governance = governance
        self.context = context
        self.subject = governance.subject(agent: agent, role: role)
    }

    /// What a tool call may do.
    enum ToolCall: Sendable {
        case call(JSON)
        case refuse(String)
        case wait(WaitCondition)
    }

    /// Decides an action and records the receipt with the step it belongs to (and `turn`, for an
    /// agent's model call or hand-off), so that `baton policy test` can find it again.
    func decide(_ operation: PolicyAction.Operation, arguments: JSON, turn: Int? = nil) -> PolicyReceipt {
        let action = PolicyAction(operation, arguments: arguments, context: PolicyContext(budget: context.ledger?.share ?? BudgetShare(), input: context.input))
        let receipt = governance.policies?.decide(subject, action) ?? PolicyEngine([]).decide(subject, action)
        var data = receipt.json.objectValue ?? [:]
        data["step"] = .string(context.step)
        if let turn { data["turn"] = .int(turn) }
        // A tool call that does not happen leaves no tool event: its receipt keeps what a later
        // `baton policy test` needs to decide it again (an agent's calls are in its model calls).
        if case let .toolCall(_, risk, effect) = operation, !receipt.isAllowed, turn == nil, !context.step.contains("/t") {
            data["arguments"] = arguments
            data["risk"] = .string(risk.rawValue)
            data["effect"] = .string(effect.rawValue)
        }
        context.record(.policyDecided, .object(data))
        return receipt
    }

    /// Before calling `name` (`contract`) with `arguments`; an approval request is `approvalID`.
    func toolCall(_ name: String, contract: ToolContract?, arguments: JSON, approvalID: String) async throws -> ToolCall {
        let receipt = decide(.toolCall(name: name, risk: contract?.risk ?? .medium, effect: contract?.effect ?? .sideEffecting), arguments: arguments)
        switch receipt.verdict {
        case .allow, .redact:
            return .call(receipt.applying(to: arguments))
        case .deny:
            return .refuse(receipt.reason)
        case let .requireApproval(requirement):
            let outcome = try await ApprovalGate(store: context.journal.store).outcome(of: approvalID) {
                let now = EventDraft.now()
                return ApprovalRequest(
                    id: approvalID, run: context.run, step: context.step, node: context.node, action: "call the tool '\(name)'",
                    reason: requirement.reason ?? receipt.reason, risk: contract?.risk ?? .medium, arguments: arguments, role: requirement.role,
                    requestedAt: now, deadline: now + Int64(requirement.timeout.seconds * 1000), onTimeout: requirement.onTimeout == .allow ? .approve : .reject
                )
            }
            switch outcome {
            case let .waiting(condition):
                return .wait(condition)
            case let .decided(record):
                guard record.decision?.approved == true else { return .refuse(Self.rejection(record)) }
                return .call(record.arguments)
            }
        }
    }

    /// After a tool call: the result as it may reach the model, or why it is withheld.
    func toolResult(_ name: String, contract: ToolContract?, arguments: JSON, result: JSON) -> Result<JSON, PolicyRefusal> {
        guard let policies = governance.policies else { return .success(result) }
        let action = PolicyAction(
            .toolCall(name: name, risk: contract?.risk ?? .medium, effect: contract?.effect ?? .sideEffecting), arguments: arguments,
            context: PolicyContext(budget: context.ledger?.share ?? BudgetShare(), input: context.input)
        )
        let receipt = policies.decide(subject, action, result: result)
        if receipt.rule != nil || !receipt.isAllowed { context.record(.policyDecided, receipt.json) }
        return receipt.isAllowed ? .success(receipt.applying(to: result)) : .failure(PolicyRefusal(reason: receipt.reason))
    }

    /// Before an agent's model call or hand-off in `turn`: the reason it may not happen, or `nil`.
    func refusal(_ operation: PolicyAction.Operation, arguments: JSON = [:], turn: Int) -> String? {
        let receipt = decide(operation, arguments: arguments, turn: turn)
        switch receipt.verdict {
        case .allow, .redact: return nil
        case .deny: return receipt.reason
        case .requireApproval: return "\(receipt.reason) (an approval is asked only for tool calls; this action is refused)"
        }
    }

    static func rejection(_ record: ApprovalRecord) -> String {
        guard let decision = record.decision else { return "the approval was not given" }
        if decision.timedOut { return "no one approved it before its deadline" }
        return "\(decision.by ?? "the approver") rejected it" + (decision.comment.map { ": \($0)" } ?? "")
    }
}

/// Why a policy withheld something.
struct PolicyRefusal: Error, Sendable {
    var reason: String
}

/// An action the policies refused where nothing can take its place (a model call): the step
/// fails with the rule's reason.
public struct PolicyDeniedError: Error, Sendable, Hashable, CustomStringConvertible, NodeErrorConvertible {
    public var action: String
    public var reason: String

    public init(action: String, reason: String) {
        self.action = action
        self.reason = reason
    }

    public var description: String { "the policies refused \(action): \(reason)" }

    public var nodeError: NodeError { NodeError(code: "policy_denied", message: description, retryable: false) }
}
