/// A budget that must be extended before the next call: its soft limit asks a human, and
/// spending has reached its share (or the call would pass the limit itself).
struct BudgetExtensionNeed: Sendable {
    /// `run` or `step`.
    var scope: String
    /// The limit that reached its share (`max_cost_usd`, `max_tokens`, …).
    var limit: String
    var allowed: Double
    var used: Double
    /// The budget as it stands, extensions granted so far included.
    var budget: Budget
    var request: BudgetExtensionRequest
    /// Extensions of this scope already granted in this step: the request's number.
    var number: Int

    /// The approval request's id, stable across re-executions of the step.
    func approvalID(run: RunID, step: String) -> String { "\(run.rawValue)/\(step)/budget.\(scope).\(number + 1)" }

    func approvalRequest(run: RunID, step: String, node: String, now: Int64) -> ApprovalRequest {
        let grown = budget.scaled(by: request.factor)
        let from = Budget.amount(allowed, limit)
        let to = grown.measures(.zero).first { $0.limit == limit }.map { Budget.amount($0.allowed, limit) } ?? from
        return ApprovalRequest(
            id: approvalID(run: run, step: step), run: run, step: step, node: node,
            action: "extend the \(scope)'s budget: \(limit) from \(from) to \(to), every limit ×\(Self.factorText(request.factor))",
            reason: "the \(scope) has spent \(Budget.amount(used, limit)) of its \(limit) of \(from)",
            risk: .medium,
            arguments: ["scope": .string(scope), "limit": .string(limit), "used": .double(used), "allowed": .double(allowed), "factor": .double(request.factor)],
            role: request.role, requestedAt: now, deadline: request.timeout.map { now + Int64($0.seconds * 1000) }, onTimeout: request.onTimeout
        )
    }

    static func factorText(_ factor: Double) -> String {
        factor == factor.rounded() ? String(Int(factor)) : String(format: "%.2f", factor)
    }
}

extension EventType {
    /// A budget was extended by a human's approval (the data: scope, limit, factor, who).
    public static let budgetExtended: EventType = "budget.extended"
    /// A request to extend a budget was rejected or timed out; the run stops.
    public static let budgetExtensionRefused: EventType = "budget.extension_refused"
}

extension StepContext {
    /// Before a call that would spend `estimate`: when a budget whose soft limit asks a human to
    /// extend it has reached its share, asks (durably, by an approval request whose id is stable
    /// across re-executions) and returns the wait the step parks on; once granted, grows the
    /// budget and goes on (asking again if it is still short). Rejected or timed out, throws the
    /// ``BudgetError`` that stops the run. `nil`: nothing to ask, go on.
    func askToExtendBudget(for estimate: Spending) async throws -> WaitCondition? {
        guard let ledger else { return nil }
        while let need = ledger.extensionNeeded(for: estimate) {
            let gate = ApprovalGate(store: journal.store)
            let outcome = try await gate.outcome(of: need.approvalID(run: run, step: step)) {
                need.approvalRequest(run: run, step: step, node: node, now: EventDraft.now())
            }
            switch outcome {
            case let .waiting(condition):
                return condition
            case let .decided(decided):
                let decision = decided.decision
                guard decision?.approved == true else {
                    let who = decision?.timedOut == true ? "no one decided before the deadline" : "\(decision?.by ?? "someone") refused it" + (decision?.comment.map { ": \($0)" } ?? "")
                    record(.budgetExtensionRefused, ["scope": .string(need.scope), "limit": .string(need.limit), "approval": .string(decided.request.id)])
                    throw BudgetError(scope: need.scope, limit: need.limit, detail: "\(Budget.amount(need.used, need.limit)) of \(Budget.amount(need.allowed, need.limit)) spent and an extension was asked; \(who)")
                }
                let factor = max(1, decided.arguments["factor"]?.doubleValue ?? need.request.factor)
                guard factor > 1 else {
                    throw BudgetError(scope: need.scope, limit: need.limit, detail: "the extension was approved with a factor of 1, which adds nothing")
                }
                ledger.extend(need.scope, by: factor)
                var data: [String: JSON] = [
                    "scope": .string(need.scope), "limit": .string(need.limit), "factor": .double(factor), "approval": .string(decided.request.id),
                ]
                if let by = decision?.by { data["by"] = .string(by) }
                record(.budgetExtended, .object(data))
            }
        }
        return nil
    }
}
