import BatonCore
import BatonSpec
import Testing

/// The `guardrails:` section and agents' choice among its guardrails: what they declare, and
/// the mistakes they catch.
@Suite struct GuardrailDeclarationTests {
    static let yaml = """
        baton: 1
        name: desk
        guardrails:
          - name: no_pii_out
            detect: [email, payment_card, iban]
            stages: [output, final_answer]
            action: redact
          - { name: no_secrets, detect: secrets, action: deny }
          - { name: short, max_length: 4000, stages: [output] }
          - name: no_wire
            deny_pattern: "(?i)wire transfer"
            action: { require_approval: finance }
          - name: reply_shape
            schema: { type: object, required: [reply] }
            stages: final_answer
        agents:
          triage: { instructions: Help., model: openai:gpt-4.1, guardrails: [no_secrets, no_pii_out] }
          open: { instructions: Anything., model: openai:gpt-4.1, guardrails: [] }
          billing: { instructions: Refunds., model: openai:gpt-4.1 }
        nodes:
          ask: { agent: triage, into: answer }
        """

    @Test func guardrailsAreLoadedInOrderWithTheirSettings() throws {
        let loaded = try Fixtures.loader.load(yaml: Self.yaml, file: "desk.yaml")
        #expect(loaded.guardrails.names == ["no_pii_out", "no_secrets", "short", "no_wire", "reply_shape"])
        let guardrails = loaded.guardrails.guardrails
        let pii = try #require(guardrails[0] as? DetectorGuardrail)
        #expect(pii.detectors == [.email, .paymentCard, .iban])
        #expect(pii.stages == [.output, .finalAnswer])
        #expect(pii.action == .redact)
        let secrets = try #require(guardrails[1] as? DetectorGuardrail)
        #expect(secrets.detectors == GuardrailDetector.secrets)
        #expect(secrets.stages == GuardrailStage.all)
        let short = try #require(guardrails[2] as? MaxLengthGuardrail)
        #expect(short.maxCharacters == 4000)
        #expect(short.action == .deny)
        let wire = try #require(guardrails[3] as? DenyPatternGuardrail)
        #expect(wire.patterns == ["(?i)wire transfer"])
        #expect(wire.action == .requireApproval(role: "finance"))
        let shape = try #require(guardrails[4] as? SchemaGuardrail)
        #expect(shape.stages == [.finalAnswer])
        #expect(shape.schema.source["required"] == ["reply"])
    }

    @Test func agentsUseWhatTheyListOrEverything() throws {
        let loaded = try Fixtures.loader.load(yaml: Self.yaml, file: "desk.yaml")
        #expect(loaded.agentGuardrails == ["triage": ["no_secrets", "no_pii_out"], "open": []])
        #expect(loaded.guardrails(forAgent: "triage").names == ["no_pii_out", "no_secrets"])
        #expect(loaded.guardrails(forAgent: "open").names.isEmpty)
        #expect(loaded.guardrails(forAgent: "billing").names == loaded.guardrails.names)
        #expect(loaded.agents.map(\.name) == ["triage", "open", "billing"])
    }

    @Test func loadedGuardrailsCheck() async throws {
        let loaded = try Fixtures.loader.load(yaml: Self.yaml, file: "desk.yaml")
        let answer = "Mail ada@example.com about the wire transfer."
        let verdict = await loaded.guardrails(forAgent: "billing").check(.text(answer), stage: .output)
        #expect(verdict.decision == .requireApproval(roles: ["finance"]))
        #expect(verdict.redacted(.text(answer)) == .text("Mail [REDACTED:email] about the wire transfer."))
        let final = await loaded.guardrails.check(.text("no JSON here"), stage: .finalAnswer)
        #expect(final.findings.map(\.guardrail) == ["reply_shape"])
    }

    @Test func aFileWithoutGuardrailsHasNone() throws {
        let loaded = try Fixtures.loader.load(yaml: "baton: 1\nname: t\nguardrails:\nnodes:\n  a: { set: {} }\n")
        #expect(loaded.guardrails.names.isEmpty)
        #expect(!loaded.guardrails.applies(to: .output))
    }

    @Test func theFormatSchemaAcceptsTheSection() throws {
        let schema = try SchemaConformanceTests.formatSchema()
        let result = schema.validate(try WorkflowLoader.json(yaml: Self.yaml, file: "guardrails.yaml"))
        #expect(result.isValid, "\(result.errors)")
        for refused in [
            "[{ name: g }]", "[{ name: g, detect: email, max_length: 3 }]", "[{ name: g, max_length: 3, action: redact }]",
            "[{ name: g, schema: { type: object } }]", "[{ name: g, detect: emails }]", "[{ name: g, detect: email, stages: [outputs] }]",
            "[{ name: g, detect: email, action: require_approval }]",
        ] {
            let yaml = "baton: 1\nname: t\nguardrails: \(refused)\nnodes:\n  a: { set: {} }\n"
            #expect(throws: SpecError.self, "the loader accepts \(refused)") { try Fixtures.loader.load(yaml: yaml) }
            #expect(!schema.validate(try WorkflowLoader.json(yaml: yaml)).isValid, "the schema accepts \(refused)")
        }
    }

    static let header = "baton: 1\nname: t\nguardrails:\n"
    static let node = "nodes:\n  a: { set: {} }\n"

    /// Expects the one-guardrail document `line` (the fourth line) to be refused with `message` at `column`.
    func expectRefusal(_ line: String, column: Int, path: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectDiagnostic(Self.header + line + "\n" + Self.node, line: 4, column: column, path: path, message, sourceLocation: sourceLocation)
    }

    @Test func mistakesInAGuardrailAreReportedWhereTheyAre() {
        expectRefusal("  - { name: g, detect: [email, emial] }", column: 24, path: "guardrails[0].detect", "unknown detector 'emial' (did you mean 'email'?); expected national_id, pii, secrets, email, phone")
        expectRefusal("  - { name: g, detect: [] }", column: 24, path: "guardrails[0].detect", "expected at least one detector")
        expectRefusal("  - { name: g, detect: email, stages: [outputs] }", column: 39, path: "guardrails[0].stages", "unknown stage 'outputs' (did you mean 'output'?); expected input, tool_result, output or final_answer")
        expectRefusal("  - { name: g, detect: email, stages: [] }", column: 39, path: "guardrails[0].stages", "expected at least one stage")
        expectRefusal("  - { name: g, detect: email, action: require_approval }", column: 39, path: "guardrails[0].action", "require_approval needs the role that approves: action: { require_approval: finance }")
        expectRefusal("  - { name: g, detect: email, action: redcat }", column: 39, path: "guardrails[0].action", "unknown action 'redcat' (did you mean 'redact'?); expected deny, redact or { require_approval: ROLE }")
        expectRefusal("  - { name: g, detect: email, action: { require_approval: \"not a role\" } }", column: 59, path: "guardrails[0].action.require_approval", "expected a role")
        expectRefusal("  - { name: g, max_length: 10, action: redact }", column: 40, path: "guardrails[0].action", "a max_length guardrail cannot redact: it finds no part of the content to hide; use deny or require_approval")
        expectRefusal("  - { name: g, max_length: 0 }", column: 28, path: "guardrails[0].max_length", "expected a positive integer, found 0")
        expectRefusal("  - { name: g, detect: email, max_length: 10 }", column: 31, path: "guardrails[0].max_length", "a guardrail checks one thing: 'detect' and 'max_length' cannot go together; declare two guardrails")
        expectRefusal("  - { name: g, stages: [output] }", column: 5, path: "guardrails[0]", "missing what the guardrail checks: one of detect, deny_pattern, max_length or schema")
        expectRefusal("  - { detect: email }", column: 5, path: "guardrails[0]", "missing required key 'name'")
        expectRefusal("  - { name: 3g, detect: email }", column: 13, path: "guardrails[0].name", "expected a guardrail name")
        expectRefusal("  - { name: g, detect: email, stage: output }", column: 31, path: "guardrails[0].stage", "unknown key 'stage' (did you mean 'stages'?)")
        expectRefusal("  - { name: g, deny_pattern: \"(unclosed\" }", column: 30, path: "guardrails[0].deny_pattern", "guardrail 'g': the deny pattern '(unclosed' cannot be used: invalid regular expression")
        expectRefusal("  - { name: g, deny_pattern: [ok, \"(a)\\\\1\"] }", column: 35, path: "guardrails[0].deny_pattern[1]", "backreferences")
        expectRefusal("  - { name: g, schema: { type: object } }", column: 5, path: "guardrails[0]", "missing required key 'stages' (where the content must be JSON of the schema")
        expectRefusal("  - { name: g, schema: { type: objekt }, stages: [output] }", column: 32, path: "guardrails[0].schema.type", "invalid JSON Schema")
        expectRefusal("  - just a string", column: 5, path: "guardrails[0]", "expected a guardrail: name, one of detect, deny_pattern, max_length or schema, stages, action, found \"just a string\"")
    }

    @Test func theSectionAndAgentsChoicesAreChecked() {
        expectDiagnostic("baton: 1\nname: t\nguardrails: { g: { detect: email } }\n" + Self.node, line: 3, column: 13, path: "guardrails", "expected a list of guardrails, each with a name and one of detect, deny_pattern, max_length or schema, found a mapping")
        expectDiagnostic(
            Self.header + "  - { name: g, detect: email }\n  - { name: g, detect: phone }\n" + Self.node, line: 5, column: 13, path: "guardrails[1].name",
            "the guardrail 'g' is declared twice (first at line 4); give each a name of its own"
        )
        let agent = Self.header + "  - { name: no_pii, detect: pii }\nagents:\n  helper: { instructions: hi, model: x:y, guardrails: [no_pi] }\nnodes:\n  a: { agent: helper }\n"
        expectDiagnostic(agent, line: 6, column: 55, path: "agents.helper.guardrails", "unknown guardrail 'no_pi' (did you mean 'no_pii'?); expected a guardrail under guardrails: (no_pii)")
        let none = "baton: 1\nname: t\nagents:\n  helper: { instructions: hi, model: x:y, guardrails: [strict] }\nnodes:\n  a: { agent: helper }\n"
        expectDiagnostic(none, line: 4, column: 55, path: "agents.helper.guardrails", "unknown guardrail 'strict'; expected a guardrail under guardrails: (none)")
    }
}
