import Synchronization

/// What one step may still spend, and what it has spent: the run's budget less the run's spending
/// when the step's superstep began, and the step's own budget. Every model call and tool call of
/// the step (its agents' too) asks it first and is charged to it after; the step's result keeps
/// the total, and the superstep's end adds it to the run's.
///
/// Steps of one superstep run side by side and each sees the run's spending as it was when the
/// superstep began, so together they can pass a run limit by what they spend at once; the end
/// of the superstep then stops the run.
final class BudgetLedger: Sendable {
    let run: Budget
    let step: Budget?
    /// The run's spending when the superstep began.
    let runSpent: Spending
    /// When the run started, in milliseconds since 1970.
    let runStartedAt: Int64
    private let state = Mutex<(spent: Spending, softReached: Set<String>)>((.zero, []))

    init(run: Budget, step: Budget?, runSpent: Spending, runStartedAt: Int64) {
        self.run = run
        self.step = step
        self.runSpent = runSpent
        self.runStartedAt = runStartedAt
    }

    /// What the step has spent so far.
    var spent: Spending { state.withLock { $0.spent } }

    /// Time since the run started.
    func elapsed(now: Int64 = EventDraft.now()) -> Duration { .milliseconds(now - runStartedAt) }

    /// Refuses what would pass the run's or the step's budget.
    func admit(_ estimate: Spending) throws(BudgetError) {
        let spent = self.spent
        let elapsed = elapsed()
        if let refusal = run.refusal(spent: runSpent + spent, estimate: estimate, elapsed: elapsed) {
            throw BudgetError(scope: "run", limit: refusal.limit, detail: refusal.detail)
        }
        if let step, let refusal = step.refusal(spent: spent, estimate: estimate, elapsed: nil) {
            throw BudgetError(scope: "step", limit: refusal.limit, detail: refusal.detail)
        }
    }

    /// Charges what a call spent; returns the soft limits this charge reached first, each once.
    func charge(_ spending: Spending) -> [SoftLimitReached] {
        state.withLock { state in
            state.spent += spending
            var reached: [SoftLimitReached] = []
            for (scope, budget, spent) in [("run", run, runSpent + state.spent), ("step", step ?? .unlimited, state.spent)] {
                guard let soft = budget.soft else { continue }
                for measure in budget.softLimitsReached(spent) where state.softReached.insert(scope + "." + measure.limit).inserted {
                    reached.append(SoftLimitReached(scope: scope, limit: measure.limit, allowed: measure.allowed, used: measure.used, action: soft.action))
                }
            }
            return reached
        }
    }

    /// What remains of the run's and the step's budgets, for prompt templates (`budget.run`, `budget.step`).
    var remaining: JSON {
        let spent = self.spent
        var members: [String: JSON] = ["run": run.remaining(after: runSpent + spent, elapsed: elapsed())]
        if let step { members["step"] = step.remaining(after: spent, elapsed: nil) }
        return .object(members)
    }
}

/// A soft limit that spending has just reached.
struct SoftLimitReached: Sendable, Hashable {
    var scope: String
    var limit: String
    var allowed: Double
    var used: Double
    var action: SoftLimitAction

    var json: JSON {
        ["scope": .string(scope), "limit": .string(limit), "allowed": .double(allowed), "used": .double(used), "action": .string(action.rawValue)]
    }
}
