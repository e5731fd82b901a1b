/// The situation of the run an action happens in: what predicates read besides the action.
public struct PolicyContext: Sendable, Hashable {
    /// How much of each budget the run has used: `budget` in predicates.
    public var budget: BudgetShare
    /// The run's input: `input` in predicates (`input.customer.tier == 'gold'`).
    public var input: JSON

    /// A context with the share of the budget used and the run's input.
    public init(budget: BudgetShare = BudgetShare(), input: JSON = [:]) {
        self.budget = budget
        self.input = input
    }
}

/// The share, from 0 to 1, of each of a run's limits used so far: `budget.cost > 0.8` reads
/// "more than 80% of the cost budget is spent". A limit that is not set counts as 0 used.
public struct BudgetShare: Sendable, Hashable {
    /// Of the token limit.
    public var tokens: Double
    /// Of the cost limit (USD).
    public var cost: Double
    /// Of the step limit.
    public var steps: Double
    /// Of the tool-call limit.
    public var toolCalls: Double

    /// Each share is clamped to 0…1; a share that is not a number counts as 1 (used up), so that
    /// a broken budget never looks like an unused one.
    public init(tokens: Double = 0, cost: Double = 0, steps: Double = 0, toolCalls: Double = 0) {
        self.tokens = Self.clamp(tokens)
        self.cost = Self.clamp(cost)
        self.steps = Self.clamp(steps)
        self.toolCalls = Self.clamp(toolCalls)
    }

    /// `{tokens, cost, steps, tool_calls}`.
    public var json: JSON {
        ["tokens": .double(tokens), "cost": .double(cost), "steps": .double(steps), "tool_calls": .double(toolCalls)]
    }

    private static func clamp(_ value: Double) -> Double {
        value.isNaN ? 1 : min(1, max(0, value))
    }
}
