import BatonCore
import Yams

extension WorkflowDecoder {
    /// The keys of a budget, wherever it is written (`limits:`, a node's `budget:`, an agent's `limits:`).
    static let budgetKeys = ["max_input_tokens", "max_output_tokens", "max_tokens", "max_cost_usd", "max_tool_calls", "max_wall_time", "soft_limit"]
    static let loopKeys = ["same_tool_calls", "unchanged_state_steps", "on_loop"]

    /// The budget keys of `fields` (other keys are the caller's); `nil` when one is wrong.
    func budget(_ fields: YAMLMapping) -> Budget? {
        var read = FieldReader(fields)
        var budget = Budget()
        budget.maxInputTokens = read("max_input_tokens") { context.integer($0, at: $1, minimum: 0) }
        budget.maxOutputTokens = read("max_output_tokens") { context.integer($0, at: $1, minimum: 0) }
        budget.maxTokens = read("max_tokens") { context.integer($0, at: $1, minimum: 0) }
        budget.maxCostUSD = read("max_cost_usd") { context.number($0, at: $1, in: 0...1_000_000, expected: "an amount of US dollars such as 0.25") }
        budget.maxToolCalls = read("max_tool_calls") { context.integer($0, at: $1, minimum: 0) }
        budget.maxWallTime = read("max_wall_time") { duration($0, at: $1) }
        budget.soft = read("soft_limit") { softLimit($0, at: $1) }
        return read.failed ? nil : budget
    }

    /// A node's `budget: { max_tokens: 20000, max_cost_usd: 0.5, … }`.
    func nodeBudget(_ node: YAMLNode, at path: String) -> Budget? {
        guard let fields = context.mapping(node, at: path, expected: "a budget (max_tokens, max_cost_usd, max_tool_calls, …)", allowed: Self.budgetKeys) else {
            return nil
        }
        return budget(fields)
    }

    /// The loop keys of `fields`: `same_tool_calls: 3`, `unchanged_state_steps: 5`, `on_loop: stop`.
    func loopDetection(_ fields: YAMLMapping) -> LoopDetection? {
        var read = FieldReader(fields)
        let defaults = LoopDetection.default
        let same = read("same_tool_calls") { value, path -> Int?? in
            if value.booleanValue == false { return .some(nil) }
            return context.integer(value, at: path, minimum: 2).map { .some($0) }
        }
        let unchanged = read("unchanged_state_steps") { context.integer($0, at: $1, minimum: 1) }
        let action = read("on_loop") { context.choice($0, at: $1, of: LoopAction.self) }
        if read.failed { return nil }
        return LoopDetection(sameToolCalls: same ?? defaults.sameToolCalls, unchangedStateSteps: unchanged, action: action ?? defaults.action)
    }

    /// `soft_limit: 0.8` (record at 80 %) or `soft_limit: { at: 0.8, action: downgrade }`; with
    /// `action: extend`, also who is asked and for how much: `role: finance, factor: 2, timeout: 1h,
    /// on_timeout: reject` (a role is required).
    private func softLimit(_ node: YAMLNode, at path: String) -> SoftLimit? {
        let expected = "a share between 0 and 1 such as 0.8, or { at: 0.8, action: record | downgrade | compact | summarize | extend }"
        if node.scalar != nil {
            return context.number(node, at: path, in: 0.01...0.99, expected: expected).map { SoftLimit(share: $0) }
        }
        guard let fields = context.mapping(node, at: path, expected: expected, allowed: ["at", "action", "role", "factor", "timeout", "on_timeout"]) else {
            return nil
        }
        var read = FieldReader(fields)
        let share = read("at") { context.number($0, at: $1, in: 0.01...0.99, expected: "a share between 0 and 1 such as 0.8") }
        let action = read("action") { context.choice($0, at: $1, of: SoftLimitAction.self) }
        let role = read("role") { context.string($0, at: $1, expected: "the role that may extend the budget") }
        let factor = read("factor") { context.number($0, at: $1, in: 1.01...1000, expected: "what each limit is multiplied by, such as 2") }
        let timeout = read("timeout") { duration($0, at: $1) }
        let onTimeout = read("on_timeout") { context.choice($0, at: $1, of: ApprovalTimeoutOutcome.self) }
        if read.failed { return nil }
        guard action == .extend else {
            for key in ["role", "factor", "timeout", "on_timeout"] where fields.value(key) != nil {
                context.error(fields.path(key), node: fields.value(key) ?? node, "'\(key)' applies only to 'action: extend'")
                return nil
            }
            return SoftLimit(share: share ?? 0.8, action: action ?? .record)
        }
        guard let role else {
            context.error(path, node: node, "'action: extend' asks a human: say which role may extend the budget ('role: finance')")
            return nil
        }
        let request = BudgetExtensionRequest(role: role, factor: factor ?? 2, timeout: timeout, onTimeout: onTimeout ?? .reject)
        return SoftLimit(share: share ?? 0.8, action: .extend, extensionRequest: request)
    }
}
