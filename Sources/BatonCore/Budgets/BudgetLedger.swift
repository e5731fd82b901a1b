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
    /// The run's budget as the run started it, before extensions.
    let baseRun: Budget
    /// The step's budget as the node declares it, before extensions.
    let baseStep: Budget?
    /// The run's spending when the superstep began.
    let runSpent: Spending
    /// When the run started, in milliseconds since 1970.
    let runStartedAt: Int64
    private let state: Mutex<State>

    private struct State {
        var spent = Spending.zero
        var softReached: Set<String> = []
        /// What the run's and the step's limits are multiplied by: extensions granted so far.
        var runScale: Double
        var stepScale = 1.0
        /// Extensions granted in this step, per scope: numbers the next request.
        var granted: [String: Int] = [:]
    }

    /// `runScale` is what earlier extensions multiplied the run's limits by (the checkpoint keeps it).
    init(run: Budget, step: Budget?, runSpent: Spending, runStartedAt: Int64, runScale: Double? = nil) {
        self.baseRun = run
        self.baseStep = step
        self.runSpent = runSpent
        self.runStartedAt = runStartedAt
        self.state = Mutex(State(runScale: runScale ?? 1))
    }

    /// The run's budget with the extensions granted so far.
    var run: Budget { baseRun.scaled(by: runScale) }
    /// The step's budget with the extensions granted in this step.
    var step: Budget? { baseStep?.scaled(by: state.withLock { $0.stepScale }) }
    /// What the run's limits are multiplied by now; the step's result carries it to the checkpoint.
    var runScale: Double { state.withLock { $0.runScale } }

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

    /// A budget whose soft limit asks a human to extend it, and that `estimate` would take past
    /// its soft share or its limit: what to ask for (the first such budget, the run's before the
    /// step's); `nil` when no extension is needed.
    func extensionNeeded(for estimate: Spending) -> BudgetExtensionNeed? {
        let spent = self.spent
        let elapsed = elapsed()
        let scopes: [(String, Budget?, Spending, Duration?)] = [("run", run, runSpent + spent, elapsed), ("step", step, spent, nil)]
        for (scope, budget, spent, elapsed) in scopes {
            guard let budget, let soft = budget.soft, soft.action == .extend, let request = soft.extensionRequest else { continue }
            let reached = budget.softLimitsReached(spent + estimate).first
            let refusal = budget.refusal(spent: spent, estimate: estimate, elapsed: elapsed)
            guard let limit = reached?.limit ?? refusal?.limit else { continue }
            let measure = budget.measures(spent).first { $0.limit == limit }
            return BudgetExtensionNeed(
                scope: scope, limit: limit, allowed: measure?.allowed ?? 0, used: measure?.used ?? 0, budget: budget, request: request,
                number: state.withLock { $0.granted[scope] ?? 0 }
            )
        }
        return nil
    }

    /// Grants an extension of `scope`'s budget: its limits are multiplied by `factor` from now on.
    func extend(_ scope: String, by factor: Double) {
        state.withLock { state in
            if scope == "run" { state.runScale *= factor } else { state.stepScale *= factor }
            state.granted[scope, default: 0] += 1
            state.softReached = state.softReached.filter { !$0.hasPrefix(scope + ".") }
        }
    }

    /// Charges what a call spent; returns the soft limits this charge reached first, each once.
    func charge(_ spending: Spending) -> [SoftLimitReached] {
        let run = self.run
        let step = self.step
        return state.withLock { state in
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
