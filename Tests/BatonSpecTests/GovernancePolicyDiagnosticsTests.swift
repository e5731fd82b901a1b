import BatonCore
import BatonSpec
import BatonTesting
import Foundation
import Testing

/// Policy files the loader refuses, each at its file, line and column, with what to write.
@Suite struct GovernancePolicyDiagnosticsTests {
    /// The diagnostics of loading `yaml` as the policy file `policy.yaml`.
    static func diagnostics(_ yaml: String) -> [Diagnostic] {
        do {
            _ = try PolicyLoader.load(yaml: yaml, file: "policy.yaml")
            Issue.record("expected the policy to be refused:\n\(yaml)")
            return []
        } catch {
            return error.diagnostics
        }
    }

    /// A policy file whose one rule has these lines (indented under `- `).
    static func rule(_ lines: String...) -> String {
        "baton: 1\npolicy: p\nrules:\n  - " + lines.joined(separator: "\n    ") + "\n"
    }

    func expect(_ yaml: String, _ line: Int, _ column: Int, _ path: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let found = Self.diagnostics(yaml)
        let match = found.contains { $0.file == "policy.yaml" && $0.line == line && $0.column == column && $0.path == path && $0.message.contains(message) }
        #expect(match, "expected policy.yaml:\(line):\(column): \(path): …\(message)…; got:\n\(found.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation)
    }

    @Test func theDocumentMustBeAPolicy() {
        expect("policy: p\nrules: []\n", 1, 1, "", "missing required key 'baton'")
        expect("baton: 2\npolicy: p\nrules: []\n", 1, 8, "baton", "expected the format version 1, found 2")
        expect("baton: 1\nrules: []\n", 1, 1, "", "missing required key 'policy'")
        expect("baton: 1\npolicy: p\n", 1, 1, "", "missing required key 'rules'")
        expect("baton: 1\npolicy: my policy\nrules: []\n", 2, 9, "policy", "expected a policy name (letters, digits")
        expect("- a\n", 1, 1, "", "expected a policy (a mapping with baton, policy and rules), found a list")
        expect("", 1, 1, "", "the file is empty; a policy file needs at least baton: 1, a policy name and rules")
        expect("baton: 1\npolicy: p\ndeny_by_default: yes\nrules: []\n", 3, 18, "deny_by_default", "expected true (deny what no rule allows) or false, found \"yes\"")
        expect("baton: 1\npolicy: p\nrules: { a: 1 }\n", 3, 8, "rules", "expected a list of rules, found a mapping")
    }

    @Test func unknownKeysSuggestTheClosest() {
        expect(Self.rule("id: a", "decison: deny"), 5, 5, "rules[0].decison", "unknown key 'decison' (did you mean 'decision'?)")
        expect(Self.rule("id: a", "decison: deny"), 4, 5, "rules[0]", "missing required key 'decision'")
        expect(Self.rule("id: a", "action: { tools: x }", "decision: deny"), 5, 15, "rules[0].action.tools", "unknown key 'tools' (did you mean 'tool'?)")
        expect(Self.rule("id: a", "subject: { agnet: x }", "decision: deny"), 5, 16, "rules[0].subject.agnet", "(did you mean 'agent'?)")
        expect("baton: 1\npolicy: p\nrule: []\n", 3, 1, "rule", "unknown key 'rule' (did you mean 'rules'?)")
        expect(Self.rule("id: a", "decision: alow"), 5, 15, "rules[0].decision", "unknown decision \"alow\" (did you mean 'allow'?)")
        expect(Self.rule("id: a", "action: { kind: tools }", "decision: deny"), 5, 21, "rules[0].action.kind", "unknown kind of action 'tools' (did you mean 'tool'?)")
        expect(Self.rule("id: a", "action: { effect: readonly }", "decision: deny"), 5, 23, "rules[0].action.effect", "unknown tool effect 'readonly' (did you mean 'read_only'?)")
    }

    @Test func badGlobsAndFieldPaths() {
        expect(Self.rule("id: a", "action: { tool: \"refund_[\" }", "decision: deny"), 5, 21, "rules[0].action.tool", "invalid glob \"refund_[\": a '[' is not closed")
        expect(Self.rule("id: a", "subject: { agent: [ok, \"\"] }", "decision: deny"), 5, 28, "rules[0].subject.agent[1]", "expected a name or a glob such as refund_*, found \"\"")
        expect(Self.rule("id: a", "action: { http: [] }", "decision: deny"), 5, 21, "rules[0].action.http", "found an empty list")
        expect(Self.rule("id: a", "decision: { redact: [card.number, \"a..b\"] }"), 5, 39, "rules[0].decision.redact[1]", "invalid field path \"a..b\": a member name is empty")
    }

    @Test func conditionsMustParseAndReadTheirScope() {
        expect(Self.rule("id: a", "when: arguments.amount >> 2", "decision: deny"), 5, 29, "rules[0].when", "invalid expression `arguments.amount >> 2` at column 19: unexpected '>'")
        expect(Self.rule("id: a", "when: state.x > 1", "decision: deny"), 5, 11, "rules[0].when", "the expression reads 'state', which is not defined here")
        expect(Self.rule("id: a", "when: [arguments.ok, result.ok]", "decision: deny"), 5, 26, "rules[0].when[1]", "reads 'result', the result of the action, which only rules with stage: after have")
    }

    @Test func decisionsNeedTheirParts() {
        expect(Self.rule("id: a", "decision: { require_approval: { timeout: 1h } }"), 5, 35, "rules[0].decision.require_approval", "missing required key 'role' (who may approve, as in role: finance)")
        expect(Self.rule("id: a", "decision: { require_approval: { role: finance, on_timeout: maybe } }"), 5, 64, "rules[0].decision.require_approval.on_timeout", "expected deny or allow")
        expect(Self.rule("id: a", "decision: { rate_limit: { max: -3, window: 1m } }"), 5, 36, "rules[0].decision.rate_limit.max", "expected a positive integer, found -3")
        expect(Self.rule("id: a", "decision: { rate_limit: { max: 3, window: 0s } }"), 5, 47, "rules[0].decision.rate_limit.window", "expected a duration longer than zero")
        expect(Self.rule("id: a", "decision: { rate_limit: { max: 3 } }"), 5, 29, "rules[0].decision.rate_limit", "missing required key 'window'")
        expect(Self.rule("id: a", "decision: { rate_limit: { max: 3, window: 1m, per: [agent, run] } }"), 5, 64, "rules[0].decision.rate_limit.per[1]", "unknown field to count for 'run'")
        expect(Self.rule("id: a", "decision: redact"), 5, 15, "rules[0].decision", "redact needs its settings: write decision: { redact: … }")
        expect(Self.rule("id: a", "decision: { deny: now }"), 5, 17, "rules[0].decision.deny", "unknown key 'deny'")
        expect(Self.rule("id: a", "decision: { redact: [x], rate_limit: { max: 1, window: 1s } }"), 5, 15, "rules[0].decision", "a rule has one decision, but this names redact and rate_limit")
        expect(Self.rule("id: a", "decision: allow", "reason: because"), 6, 5, "rules[0].reason", "reason goes with deny and require_approval")
    }

    @Test func rulesMustFitTogether() {
        expect("baton: 1\npolicy: p\nrules:\n  - id: a\n    decision: deny\n  - id: a\n    decision: allow\n", 6, 9, "rules[1].id", "another rule of the policy has the id 'a' (line 4)")
        expect(Self.rule("id: a", "stage: after", "decision: { require_approval: { role: ops } }"), 4, 5, "rules[0]", "require_approval decides before an action")
        expect(Self.rule("id: a", "action: { model: \"*\", risk: high }", "decision: deny"), 4, 5, "rules[0]", "risk and effect apply to tool calls, but the rule also matches model actions")
        expect(Self.rule("id: a", "action: { http: API.example.com }", "decision: deny"), 4, 5, "rules[0]", "write 'api.example.com'")
        expect(Self.rule("id: a", "action: { kind: tool, tool: x }", "decision: deny"), 5, 21, "rules[0].action.kind", "tool is both under kind and a key of its own")
        expect(Self.rule("id: a", "stage: later", "decision: deny"), 5, 12, "rules[0].stage", "expected before or after, found \"later\"")
        expect(Self.rule("id: a", "priority: high", "decision: deny"), 5, 15, "rules[0].priority", "expected an integer priority")
        expect(Self.rule("id: a", "action: { tool: x, risk: { at_least: severe } }", "decision: deny"), 5, 42, "rules[0].action.risk.at_least", "expected low, medium or high, found \"severe\"")
        expect(Self.rule("id: 'no way'", "decision: deny"), 4, 9, "rules[0].id", "expected a rule id")
    }

    @Test func everyProblemIsReportedAtOnce() {
        let found = Self.diagnostics("baton: 1\npolicy: p\nrules:\n  - { id: a, decision: alow }\n  - { id: b, action: { tool: \"[\" }, decision: deny }\n")
        #expect(found.map(\.line) == [4, 5])
    }

    @Test func aWorkflowReportsItsPolicyFilesProblemsInThoseFiles() throws {
        let directory = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.rule("id: a", "decision: alow").write(to: directory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let workflow = directory.appendingPathComponent("w.yaml")
        try "baton: 1\nname: w\npolicies:\n  - bad.yaml\n  - missing.yaml\nnodes: { a: { set: {} } }\n".write(to: workflow, atomically: true, encoding: .utf8)
        let error = #expect(throws: SpecError.self) { try Fixtures.loader.load(file: workflow.path) }
        let found = error?.diagnostics ?? []
        let display = workflow.path
        #expect(found.contains { $0.file == display && $0.line == 4 && $0.column == 5 && $0.message == "the policy file 'bad.yaml' has errors (reported under \(directory.path)/bad.yaml)" })
        #expect(found.contains { $0.file == display && $0.line == 5 && $0.message.hasPrefix("cannot read the policy file 'missing.yaml'") && $0.message.hasSuffix("no such file") })
        #expect(found.contains { $0.file.hasSuffix("/bad.yaml") && $0.line == 5 && $0.column == 15 && $0.message.contains("unknown decision") })
    }

    @Test func aWorkflowsPoliciesNeedDistinctNames() {
        expectDiagnostic(
            "baton: 1\nname: w\npolicies:\n  - { policy: p, rules: [] }\n  - { policy: p, rules: [] }\nnodes: { a: { set: {} } }\n",
            line: 5, column: 5, path: "policies[1]", "policies[0] is also named 'p'; policies need distinct names"
        )
        expectDiagnostic(
            "baton: 1\nname: w\npolicies:\n  - { policy: p, rules: [], baton: 1 }\nnodes: { a: { set: {} } }\n",
            line: 4, column: 29, path: "policies[0].baton", "unknown key 'baton'"
        )
        expectDiagnostic("baton: 1\nname: w\npolicies: { p: 1 }\nnodes: { a: { set: {} } }\n", line: 3, column: 11, path: "policies", "expected a list of policy files and policies")
    }

    // MARK: - Hostile input

    @Test func hugeAndDeepInputIsRefused() {
        expect("baton: 1\npolicy: p\ndescription: \"" + String(repeating: "x", count: 1 << 20) + "\"\nrules: []\n", 1, 1, "", "may be at most 1048576 bytes")
        let deep = "baton: 1\npolicy: p\nrules: " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "\n"
        #expect(Self.diagnostics(deep).first?.message.contains("Maximum nesting level") == true)
        let nested = String(repeating: "(", count: 200) + "arguments.a" + String(repeating: ")", count: 200)
        #expect(Self.diagnostics(Self.rule("id: a", "when: \"\(nested)\"", "decision: deny")).contains { $0.line == 5 && $0.message.contains("nests deeper than 128 levels") })
        var many = "baton: 1\npolicy: p\nrules:\n"
        for number in 0...Policy.maximumRules { many += "  - { id: r\(number), decision: allow }\n" }
        expect(many, 2, 9, "policy", "at most 10000 are allowed")
    }

    @Test func bytesThatAreNotUTF8AreRefusedWhereTheyAre() throws {
        let directory = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("p.yaml")
        var bytes = Array("baton: 1\npolicy: p\nrules:\n  - id: a\n    action: { tool: \"refund_".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("\" }\n    decision: deny\n".utf8)
        try Data(bytes).write(to: file)
        let error = #expect(throws: SpecError.self) { try PolicyLoader.load(file: file.path) }
        #expect(error?.diagnostics.first?.line == 5)
        #expect(error?.diagnostics.first?.message.contains("not UTF-8") == true)
        // Decoded with replacement characters, as a fuzzer or an editor might: the glob refuses them.
        let text = String(decoding: bytes, as: UTF8.self)
        expect(text, 5, 21, "rules[0].action.tool", "U+FFFD, the stand-in for bytes that were not UTF-8")
    }

    @Test func randomMutationsNeverCrash() {
        for text in SplitMix.mutations(of: GovernancePolicyTests.payments, count: 400, seed: 7, alphabet: " \n:-[]{},#*?!\\'\"abcz019._>=()") {
            do {
                _ = try PolicyLoader.load(yaml: text)
            } catch {
                #expect(!error.diagnostics.isEmpty)
                #expect(error.diagnostics.allSatisfy { $0.line >= 1 && $0.column >= 1 && !$0.message.isEmpty })
            }
        }
    }
}
