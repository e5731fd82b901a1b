import BatonCore
import Testing

/// The overlap analysis: rules that never decide, and rules that decide shared actions differently.
@Suite struct PolicyFindingTests {
    typealias F = PolicyFixtures

    func findings(_ rules: PolicyRule...) throws -> [PolicyFinding] {
        PolicyEngine([try Policy("p", rules: rules)]).findings()
    }

    @Test func aRuleCoveredByAnEarlierUnconditionalRuleIsShadowed() throws {
        let found = try findings(
            try F.rule("all-refunds", .deny(reason: "no"), action: F.tools("refund_*")),
            try F.rule("card-refunds", .allow, action: F.tools("refund_card"))
        )
        #expect(found.count == 1)
        #expect(found.first?.kind == .shadowed)
        #expect(found.first?.rule.rule == "card-refunds")
        #expect(found.first?.other.rule == "all-refunds")
        #expect(found.first?.message == "rule 'card-refunds' of policy 'p' can never decide: rule 'all-refunds' of policy 'p' comes before it, has no when:, and matches every action it matches; remove it, or give it a higher priority")
    }

    @Test(arguments: [
        // (earlier tools, later tools, shadowed)
        (["*"], ["anything_*"], true), (["refund_*"], ["refund_card_*"], true), (["*_admin"], ["db_admin"], true),
        (["*_admin"], ["x*_admin"], false), (["refund_*"], ["charge_*"], false), (["a", "b"], ["b"], true), (["a"], ["a", "b"], false),
    ])
    func globCoverage(earlier: [String], later: [String], shadowed: Bool) throws {
        let found = try findings(
            try F.rule("earlier", .deny(reason: "x"), action: ActionMatch([.tool: earlier.map { try Glob($0) }])),
            try F.rule("later", .deny(reason: "x"), action: ActionMatch([.tool: later.map { try Glob($0) }]))
        )
        #expect(found.contains { $0.kind == .shadowed } == shadowed, "\(earlier) vs \(later)")
    }

    @Test func subjectsRisksAndKindsCountToo() throws {
        let narrowerSubject = try findings(
            try F.rule("prod", .deny(reason: "x"), subject: SubjectMatch(environment: F.globs("prod*"))),
            try F.rule("prod-eu", .allow, subject: SubjectMatch(agent: F.globs("a"), environment: F.globs("prod-eu")))
        )
        #expect(narrowerSubject.map(\.kind) == [.shadowed])
        let risk = try findings(
            try F.rule("medium-up", .deny(reason: "x"), action: ActionMatch(risk: .atLeast(.medium))),
            try F.rule("high", .allow, action: F.tools("pay", risk: .exactly(.high))),
            try F.rule("low", .allow, action: F.tools("pay", risk: .exactly(.low)))
        )
        #expect(risk.map(\.kind) == [.shadowed])
        #expect(risk.first?.rule.rule == "high")
        let kinds = try findings(
            try F.rule("tools", .deny(reason: "x"), action: ActionMatch([.tool: [.any]])),
            try F.rule("models", .allow, action: ActionMatch([.model: [.any]]))
        )
        #expect(kinds.isEmpty)
    }

    @Test func anOverlapWithAnotherDecisionIsAWarningNamingBothRules() throws {
        let found = try findings(
            try F.rule("admins", .deny(reason: "x"), action: F.tools("*_admin")),
            try F.rule("db", .allow, action: F.tools("db_*"))
        )
        #expect(found.map(\.kind) == [.overlap])
        #expect(found.first?.message == "rule 'db' of policy 'p' (allow) overlaps rule 'admins' of policy 'p' (deny): for the actions both match, the earlier rule decides; narrow one of them, or order them on purpose")
        let sameDecision = try findings(try F.rule("a", .allow, action: F.tools("*_admin")), try F.rule("b", .allow, action: F.tools("db_*")))
        #expect(sameDecision.isEmpty)
    }

    @Test func layeredConditionsAreNotFindings() throws {
        let found = try findings(
            try F.rule("huge", .deny(reason: "x"), action: F.tools("refund"), when: ["arguments.amount > 1000"]),
            try F.rule("large", .requireApproval(ApprovalRequirement(role: "finance")), action: F.tools("refund"), when: ["arguments.amount > 100"]),
            try F.rule("rest", .allow, action: F.tools("refund"))
        )
        #expect(found.isEmpty)
    }

    @Test func precedenceAcrossPoliciesAndStagesIsWhatCounts() throws {
        let first = try Policy("first", rules: [try F.rule("late-but-urgent", .deny(reason: "x"), priority: 5)])
        let second = try Policy("second", rules: [try F.rule("early", .allow, action: F.tools("t")), try F.rule("after", .allow, stage: .after)])
        let found = PolicyEngine([second, first]).findings()
        #expect(found.map(\.kind) == [.shadowed])
        #expect(found.first?.rule.policy == "second" && found.first?.other.policy == "first")
    }

    @Test func findingsCarryTheRulesLocations() throws {
        var earlier = try F.rule("a", .deny(reason: "x"))
        earlier.location = PolicyLocation(file: "p.yaml", line: 4, column: 5)
        var later = try F.rule("b", .allow)
        later.location = PolicyLocation(file: "p.yaml", line: 9, column: 5)
        let found = PolicyEngine([try Policy("p", rules: [earlier, later])]).findings()
        #expect(found.first?.description.contains("rule 'b' of policy 'p' (p.yaml:9:5) can never decide: rule 'a' of policy 'p' (p.yaml:4:5)") == true)
    }
}
