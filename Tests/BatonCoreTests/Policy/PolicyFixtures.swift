import BatonCore
import Synchronization

/// Short ways to write the rules and actions of the policy tests.
enum PolicyFixtures {
    static let bot = PolicySubject(agent: "refund_bot", role: "support", workflow: "refunds", environment: "production", tags: ["eu", "beta"])

    static func tool(_ name: String, risk: ToolRisk = .medium, effect: ToolEffect = .sideEffecting, _ arguments: JSON = [:], budget: BudgetShare = BudgetShare()) -> PolicyAction {
        PolicyAction(.toolCall(name: name, risk: risk, effect: effect), arguments: arguments, context: PolicyContext(budget: budget))
    }

    static func globs(_ patterns: String...) throws -> [Glob] {
        try patterns.map { try Glob($0) }
    }

    static func tools(_ patterns: String..., risk: RiskMatch? = nil, effects: Set<ToolEffect>? = nil) throws -> ActionMatch {
        ActionMatch([.tool: try patterns.map { try Glob($0) }], risk: risk, effects: effects)
    }

    static func rule(
        _ id: String, _ decision: PolicyDecision, priority: Int = 0, stage: PolicyStage = .before, subject: SubjectMatch = .any,
        action: ActionMatch = .any, when conditions: [String] = []
    ) throws -> PolicyRule {
        PolicyRule(id, priority: priority, stage: stage, subject: subject, action: action, when: try conditions.map { try Expression($0) }, decision: decision)
    }

    static func engine(_ rules: PolicyRule..., denyByDefault: Bool = false, limiter: RateLimiter = RateLimiter()) throws -> PolicyEngine {
        PolicyEngine([try Policy("test", denyByDefault: denyByDefault, rules: rules)], rateLimiter: limiter)
    }
}

/// A clock that moves only when the test says so.
final class ManualClock: Sendable {
    private let start = ContinuousClock.now
    private let elapsed = Mutex(Duration.zero)

    var now: ContinuousClock.Instant { start + elapsed.withLock { $0 } }

    func advance(by duration: Duration) { elapsed.withLock { $0 += duration } }
}
