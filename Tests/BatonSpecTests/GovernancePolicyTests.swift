import BatonCore
import BatonSpec
import Foundation
import Testing

/// Policy files and a workflow's `policies:` section, loaded into the policies the engine runs.
@Suite struct GovernancePolicyTests {
    static let payments = """
        baton: 1
        policy: payments
        description: Refunds and charges
        deny_by_default: true
        rules:
          - id: refunds-over-1000
            priority: 10
            action: { tool: "payments.refund_*" }
            when: arguments.amount > 1000
            decision: deny
            reason: refunds over 1000 are handled by people
          - id: refunds-over-100
            action: { tool: "payments.refund_*", risk: { at_least: medium } }
            when: [arguments.amount > 100, "subject.environment == 'production'"]
            decision: { require_approval: { role: finance, timeout: 4h, on_timeout: allow } }
            reason: refunds over 100 need finance
          - id: card-numbers
            subject: { agent: "billing_*", tags: [pci, eu-*] }
            action: { tool: "*" }
            decision: { redact: [card.number, "cards[*].cvc"] }
          - id: payout-rate
            action: { tool: payments.payout }
            decision: { rate_limit: { max: 10, window: 1h, per: [agent, action] } }
          - id: reads
            action: { effect: [pure, read_only] }
            decision: allow
          - id: other-kinds
            action: { kind: [model, handoff], memory_read: "customers/*" }
            decision: allow
          - id: no-secrets-out
            stage: after
            action: { http: "*.example.com" }
            when: "matches(string(result), 'sk-[A-Za-z0-9]{20}')"
            decision: deny
            reason: the response holds a secret key

        """

    @Test func aPolicyFileLoadsEveryKindOfRuleAndDecision() throws {
        let loaded = try PolicyLoader.load(yaml: Self.payments, file: "payments.yaml")
        let policy = loaded.policy
        #expect(policy.name == "payments" && policy.summary == "Refunds and charges" && policy.denyByDefault)
        #expect(policy.rules.map(\.id) == ["refunds-over-1000", "refunds-over-100", "card-numbers", "payout-rate", "reads", "other-kinds", "no-secrets-out"])
        let rules = Dictionary(uniqueKeysWithValues: policy.rules.map { ($0.id, $0) })
        let huge = try #require(rules["refunds-over-1000"])
        #expect(huge.priority == 10 && huge.decision == .deny(reason: "refunds over 1000 are handled by people"))
        #expect(huge.location == PolicyLocation(file: "payments.yaml", line: 6, column: 5))
        #expect(huge.when.map(\.source) == ["arguments.amount > 1000"])
        let large = try #require(rules["refunds-over-100"])
        #expect(large.action.risk == .atLeast(.medium))
        #expect(large.when.count == 2)
        #expect(large.decision == .requireApproval(ApprovalRequirement(role: "finance", timeout: .seconds(4 * 3600), onTimeout: .allow, reason: "refunds over 100 need finance")))
        let cards = try #require(rules["card-numbers"])
        #expect(cards.subject.agent?.map(\.pattern) == ["billing_*"] && cards.subject.tags?.map(\.pattern) == ["pci", "eu-*"])
        #expect(cards.decision == .redact([try RedactionPath("card.number"), try RedactionPath("cards[*].cvc")]))
        #expect(rules["payout-rate"]?.decision == .rateLimit(RateLimit(limit: 10, window: .seconds(3600), per: [.agent, .action])))
        #expect(rules["reads"]?.action.effects == [.pure, .readOnly])
        #expect(rules["other-kinds"]?.action.kinds == [.model, .memoryRead, .handoff])
        #expect(rules["no-secrets-out"]?.stage == .after)
        // card-numbers redacts for every tool of pci agents, so for them it decides before
        // payout-rate and reads do; and payout-rate decides a read-only payout before reads.
        #expect(loaded.findings.map { "\($0.rule.rule) \($0.kind) \($0.other.rule)" } == [
            "payout-rate overlap card-numbers", "reads overlap card-numbers", "reads overlap payout-rate",
        ])
    }

    @Test func theLoadedPolicyDecides() throws {
        let engine = PolicyEngine([try PolicyLoader.load(yaml: Self.payments).policy])
        let subject = PolicySubject(agent: "refund_bot", environment: "production")
        func refund(_ amount: Int) -> PolicyAction {
            PolicyAction(.toolCall(name: "payments.refund_card", risk: .high, effect: .sideEffecting), arguments: ["amount": .int(amount)])
        }
        #expect(engine.decide(subject, refund(5000)).rule == "refunds-over-1000")
        #expect(engine.decide(subject, refund(500)).verdict.name == "require_approval")
        #expect(engine.decide(subject, refund(50)).reason.contains("denies by default"))
        let secret = engine.decide(subject, PolicyAction(.outboundHTTP(host: "api.example.com")), result: ["key": "sk-abcdefghijklmnopqrstuvwxyz"])
        #expect(secret.verdict == .deny && secret.reason == "the response holds a secret key")
    }

    @Test func findingsNameBothRulesAndWhereTheyAre() throws {
        let loaded = try PolicyLoader.load(yaml: """
            baton: 1
            policy: p
            rules:
              - { id: all-tools, action: { tool: "*" }, decision: deny }
              - { id: refunds, action: { tool: refund }, decision: allow }
            """, file: "p.yaml")
        #expect(loaded.findings.map(\.kind) == [.shadowed])
        #expect(loaded.findings.first?.message.contains("rule 'refunds' of policy 'p' (p.yaml:5:5) can never decide: rule 'all-tools' of policy 'p' (p.yaml:4:5)") == true)
    }

    @Test func aWorkflowsPoliciesComeFromFilesAndFromThePage() throws {
        let directory = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("policies"), withIntermediateDirectories: true)
        try Self.payments.write(to: directory.appendingPathComponent("policies/payments.yaml"), atomically: true, encoding: .utf8)
        let workflow = directory.appendingPathComponent("refunds.yaml")
        try """
            baton: 1
            name: refunds
            policies:
              - policy: local
                rules:
                  - { id: no-deletes, action: { tool: "db.delete_*" }, decision: deny, reason: no deletes }
              - policies/payments.yaml
            nodes:
              a: { set: {} }
            """.write(to: workflow, atomically: true, encoding: .utf8)
        let loaded = try Fixtures.loader.load(file: workflow.path)
        #expect(loaded.workflow.policies.map(\.name) == ["local", "payments"])
        #expect(loaded.workflow.policies[1].rules.first?.location?.file.hasSuffix("policies/payments.yaml") == true)
        // Findings cross policies: the local no-deletes rule comes first.
        #expect(loaded.policyFindings.contains { $0.rule.rule == "card-numbers" && $0.other.rule == "no-deletes" && $0.other.policy == "local" })
        let engine = PolicyEngine(loaded.workflow.policies)
        #expect(engine.decide(PolicySubject(), PolicyAction(.toolCall(name: "db.delete_user", risk: .high, effect: .sideEffecting))).policy == "local")
        // Resuming a run loads the stored document again, with the policy file.
        let again = try Fixtures.loader.loadDocument(loaded.stored)
        #expect(again.workflow.policies.map(\.name) == ["local", "payments"])
    }

    @Test func policiesAreNotPartOfTheWorkflowsVersionButTheTextIs() throws {
        let plain = try Fixtures.loader.load(yaml: "baton: 1\nname: w\nnodes: { a: { set: {} } }\n").workflow
        #expect(plain.policies.isEmpty)
        let governed = try Fixtures.loader.load(yaml: "baton: 1\nname: w\npolicies: [{ policy: p, rules: [] }]\nnodes: { a: { set: {} } }\n").workflow
        #expect(governed.policies.map(\.name) == ["p"])
        #expect(governed.structure["policies"] == nil)
        #expect(governed.contentHash != plain.contentHash)
    }

    @Test func theSectionMayBeEmpty() throws {
        #expect(try Fixtures.loader.load(yaml: "baton: 1\nname: w\npolicies:\nnodes: { a: { set: {} } }\n").workflow.policies.isEmpty)
    }

    @Test func aPolicyFileLoadsFromDisk() throws {
        let directory = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("payments.yaml")
        try Self.payments.write(to: file, atomically: true, encoding: .utf8)
        let loaded = try PolicyLoader.load(file: file.path)
        #expect(loaded.policy.name == "payments")
        #expect(loaded.location == file.path)
        #expect(loaded.source == Self.payments)
    }

    @Test func theFormatSchemaDescribesThePoliciesSection() throws {
        let schema = try SchemaConformanceTests.formatSchema()
        let inline = Self.payments.replacingOccurrences(of: "baton: 1\n", with: "").split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        let workflow = "baton: 1\nname: w\npolicies:\n  - policies/company.yaml\n  -\n" + inline + "\nnodes: { a: { set: {} } }\n"
        let result = schema.validate(try WorkflowLoader.json(yaml: workflow))
        #expect(result.isValid, "\(result.errors.map(\.description))")
        for refused in ["policies: [{ policy: p }]", "policies: [{ policy: p, rules: [{ id: a }] }]", "policies: [{ policy: p, rules: [{ id: a, decision: maybe }] }]"] {
            let json = try WorkflowLoader.json(yaml: "baton: 1\nname: w\n\(refused)\nnodes: { a: { set: {} } }\n")
            #expect(!schema.validate(json).isValid, "\(refused)")
        }
    }
}
