import BatonCore
import Testing

/// Policies refuse rules whose parts do not fit together, saying what to write instead.
@Suite struct PolicyValidationTests {
    typealias F = PolicyFixtures

    func refusal(_ rules: [PolicyRule], name: String = "p") -> PolicyError? {
        do {
            _ = try Policy(name, rules: rules)
            return nil
        } catch {
            return error
        }
    }

    @Test func namesMustBePresentAndDistinct() throws {
        #expect(refusal([], name: "") == .invalidPolicy(policy: "", reason: "the policy name is empty"))
        #expect(refusal([try F.rule("", .allow)])?.reason == "the rule id is empty")
        let twice = refusal([try F.rule("a", .allow), try F.rule("a", .allow)])
        #expect(twice == .invalidRule(policy: "p", rule: "a", index: 1, reason: "another rule of the policy has the id 'a'; give each rule its own"))
        #expect(refusal([try F.rule("a\nb", .allow)])?.reason == "the rule id contains a control character")
    }

    @Test(arguments: [
        ("approval-after", "require_approval decides before an action"),
        ("limit-after", "rate_limit decides before an action"),
        ("result-before", "reads 'result', which only rules with stage: after have"),
        ("unknown-root", "reads 'state', which is not defined: a condition reads arguments, subject, action, budget, input"),
        ("risk-on-models", "risk and effect apply to tool calls, but the rule also matches model actions"),
        ("capital-host", "write 'api.example.com'"),
        ("no-role", "the approval names no role"),
        ("zero-timeout", "the approval's timeout must be longer than zero"),
        ("zero-limit", "a rate limit allows 1 to 1000000 actions per window, not 0"),
        ("zero-window", "a rate limit's window must be longer than zero"),
        ("century-window", "and at most ten years"),
        ("no-fields", "the redaction names no fields"),
    ])
    func partsThatDoNotFitAreRefused(rule id: String, reason: String) throws {
        let rules: [String: PolicyRule] = [
            "approval-after": try F.rule(id, .requireApproval(ApprovalRequirement(role: "ops")), stage: .after),
            "limit-after": try F.rule(id, .rateLimit(RateLimit(limit: 1, window: .seconds(1))), stage: .after),
            "result-before": try F.rule(id, .allow, when: ["result.ok"]),
            "unknown-root": try F.rule(id, .allow, when: ["state.x > 1"]),
            "risk-on-models": try F.rule(id, .allow, action: ActionMatch([.tool: [.any], .model: [.any]], risk: .atLeast(.high))),
            "capital-host": try F.rule(id, .allow, action: ActionMatch([.http: [try Glob("API.example.com")]])),
            "no-role": try F.rule(id, .requireApproval(ApprovalRequirement(role: ""))),
            "zero-timeout": try F.rule(id, .requireApproval(ApprovalRequirement(role: "ops", timeout: .zero))),
            "zero-limit": try F.rule(id, .rateLimit(RateLimit(limit: 0, window: .seconds(1)))),
            "zero-window": try F.rule(id, .rateLimit(RateLimit(limit: 1, window: .zero))),
            "century-window": try F.rule(id, .rateLimit(RateLimit(limit: 1, window: .seconds(100 * 366 * 24 * 3600)))),
            "no-fields": try F.rule(id, .redact([])),
        ]
        let error = refusal([try F.rule("fine", .allow), try #require(rules[id])])
        guard case let .invalidRule(policy, rule, index, why)? = error else {
            Issue.record("expected an invalid rule, got \(String(describing: error))")
            return
        }
        #expect(policy == "p" && rule == id && index == 1)
        #expect(why.contains(reason), "\(why)")
        #expect(error?.description.hasPrefix("policy 'p', rule '\(id)': ") == true)
    }

    @Test func tooManyRulesAreRefused() throws {
        let rule = try F.rule("r", .allow)
        let rules = (0...Policy.maximumRules).map { number in
            var copy = rule
            copy.id = "r\(number)"
            return copy
        }
        #expect(refusal(rules)?.reason.contains("at most 10000 are allowed") == true)
    }
}
