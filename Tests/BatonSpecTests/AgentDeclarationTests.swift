import BatonCore
import BatonSpec
import Testing

/// The `agents:`, `models:`, `routers:` and `prices:` sections: what they declare, and the
/// mistakes they catch.
@Suite struct AgentDeclarationTests {
    static let yaml = """
        baton: 1
        name: desk
        tools:
          lookup: { builtin: file.read, root: . }
        models:
          fast: scripted:script.yaml
        routers:
          cheap-first:
            models: [fast, openai:gpt-4.1]
            escalate_on: [invalid_output]
            escalate_when: "len(answer) < 5"
        prices:
          house-model: { input: 1, output: 2, cached_input: 0.5 }
        agents:
          triage:
            role: triage
            instructions: "Help {{input.name}}."
            prompt: "{{input.text}}"
            model: cheap-first
            tools: [lookup]
            handoffs: [billing]
            output_schema: { type: object, required: [category] }
            limits: { max_turns: 4, max_tokens: 1000, max_cost_usd: 0.5, max_tool_calls: 3 }
            cache: 10m
            retry: { max_attempts: 2 }
            timeout: 30s
            temperature: 0.2
          billing:
            instructions: You handle refunds.
            model: anthropic:claude-sonnet-4-5
        nodes:
          ask: { agent: triage, input: { name: Ada, text: hello }, into: answer }
        """

    @Test func agentsAreLoadedWithTheirModelsResolved() throws {
        let loaded = try Fixtures.loader.load(yaml: Self.yaml, file: "/work/desk/desk.yaml")
        #expect(loaded.agents.map(\.name) == ["triage", "billing"])
        let triage = try #require(loaded.agents.first)
        guard case let .router(router) = triage.model else {
            Issue.record("triage should have a router")
            return
        }
        #expect(router.models.map(\.description).last == "openai:gpt-4.1")
        #expect(router.models.first?.provider == "scripted")
        #expect(router.models.first?.model.hasSuffix("/script.yaml") == true)
        #expect(router.models.first?.model.hasPrefix("/") == true)
        #expect(router.escalation == [.invalidOutput, .classifier])
        #expect(router.classifier?("hi", [:]) != nil)
        #expect(router.classifier?("a long answer", [:]) == nil)
        #expect(triage.tools == ["lookup"])
        #expect(triage.handoffs == ["billing"])
        #expect(triage.limits == AgentLimits(maxTurns: 4, maxTokens: 1000, maxCostUSD: 0.5, maxToolCalls: 3))
        #expect(triage.cache == CachePolicy(ttl: .seconds(600)))
        #expect(triage.retry.maxAttempts == 2)
        #expect(triage.modelTimeout == .seconds(30))
        #expect(triage.outputSchema?["required"] == ["category"])
        #expect(triage.instructions.render(["input": ["name": "Ada"]]) == "Help Ada.")
        #expect(loaded.prices?.price(for: try ModelReference(parsing: "vllm:house-model")) == ModelPrice(input: 1, output: 2, cachedInput: 0.5))
    }

    @Test func theFormatSchemaAcceptsTheSections() throws {
        let schema = try SchemaConformanceTests.formatSchema()
        let result = schema.validate(try WorkflowLoader.json(yaml: Self.yaml, file: "agents.yaml"))
        #expect(result.isValid, "\(result.errors)")
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        let header = "baton: 1\nname: t\n"
        let node = "nodes:\n  a: { agent: helper }\n"
        expectDiagnostic(header + "agents:\n  helper: { model: openai:gpt-4.1 }\n" + node, line: 4, column: 11, path: "agents.helper", "missing required key 'instructions'")
        expectDiagnostic(header + "agents:\n  helper: { instructions: hi, model: gpt4 }\n" + node, line: 4, column: 38, path: "agents.helper.model", "write PROVIDER:MODEL")
        expectDiagnostic(header + "tools:\n  look: { builtin: file.read, root: . }\nagents:\n  helper: { instructions: hi, model: x:y, tools: [nothing] }\n" + node, line: 6, column: 50, path: "agents.helper.tools", "unknown tool 'nothing'")
        expectDiagnostic(header + "agents:\n  helper: { instructions: hi, model: x:y, handoffs: [ghost] }\n" + node, line: 4, column: 53, path: "agents.helper.handoffs", "unknown agent 'ghost'")
        expectDiagnostic(header + "agents:\n  helper: { instructions: hi, model: x:y, limits: { max_turns: 0 } }\n" + node, line: 4, column: 64, path: "agents.helper.limits.max_turns", "expected a positive integer")
        expectDiagnostic(header + "agents:\n  helper: { instructions: hi, model: x:y, output_schema: { type: 7 } }\n" + node, line: 4, column: 66, path: "agents.helper.output_schema.type", "invalid JSON Schema")
        expectDiagnostic(header + "agents:\n  helper: { instructions: hi, model: x:y }\nnodes:\n  a: { agent: helpr }\n", line: 6, column: 15, path: "nodes.a.agent", "unknown agent 'helpr' (did you mean 'helper'?)")
        expectDiagnostic(header + "routers:\n  r: { models: [x:y], escalate_on: [mood] }\n" + node, line: 4, column: 36, path: "routers.r.escalate_on", "unknown escalation 'mood'")
        expectDiagnostic(header + "prices:\n  m: { input: -1, output: 1 }\n" + node, line: 4, column: 3, path: "prices", "needs 'input' and 'output'")
    }
}
