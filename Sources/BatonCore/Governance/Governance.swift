/// What a step's actions are checked against: the workflow's policies (compiled once per
/// workflow) and who acts, so that each check builds its subject and records its receipt.
struct Governance: Sendable {
    let policies: PolicyEngine?
    let workflow: String
    /// `EngineOptions.environment`: `production`, `staging`, …
    let environment: String?
    /// The run's tags.
    let tags: [String]

    /// The subject of an action of `agent` (with its role), or of the workflow itself.
    func subject(agent: String? = nil, role: String? = nil) -> PolicySubject {
        PolicySubject(agent: agent, role: role?.isEmpty == true ? nil : role, workflow: workflow, environment: environment, tags: tags)
    }
}

extension BudgetLedger {
    /// The share of each of the run's limits spent so far, for policy conditions (`budget.cost > 0.8`).
    var share: BudgetShare {
        let spent = runSpent + self.spent
        func share(_ used: Int, _ limit: Int?) -> Double { limit.map { $0 > 0 ? Double(used) / Double($0) : 1 } ?? 0 }
        return BudgetShare(
            tokens: share(spent.tokens, run.maxTokens), cost: run.maxCostUSD.map { $0 > 0 ? spent.costUSD / $0 : 1 } ?? 0,
            toolCalls: share(spent.toolCalls, run.maxToolCalls)
        )
    }
}
