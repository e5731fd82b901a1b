import BatonCore
import BatonSpec
import Testing

/// Budgets and loop detection in YAML: the run's (`limits:`), a node's (`budget:`) and an agent's (`limits:`).
@Suite struct BudgetDeclarationTests {
    @Test func budgetsLoadAtEveryLevel() throws {
        let loaded = try Fixtures.loader.load(yaml: """
            baton: 1
            name: budgets
            limits:
              max_steps: 50
              max_tokens: 200000
              max_cost_usd: 2.5
              max_wall_time: 10m
              soft_limit: { at: 0.8, action: downgrade }
              same_tool_calls: 4
              unchanged_state_steps: 6
              on_loop: escalate
            agents:
              writer:
                model: scripted:writer.yaml
                instructions: Write.
                limits: { max_turns: 5, max_input_tokens: 9000, max_output_tokens: 1000, soft_limit: 0.5 }
            nodes:
              write:
                agent: writer
                budget: { max_tokens: 20000, max_tool_calls: 3 }
            """)
        let limits = loaded.workflow.limits
        #expect(limits.maxSteps == 50)
        #expect(limits.budget.maxTokens == 200_000)
        #expect(limits.budget.maxCostUSD == 2.5)
        #expect(limits.budget.maxWallTime == .seconds(600))
        #expect(limits.budget.soft == SoftLimit(share: 0.8, action: .downgrade))
        #expect(limits.loops == LoopDetection(sameToolCalls: 4, unchangedStateSteps: 6, action: .escalate))
        #expect(loaded.workflow.node("write")?.policy.budget == Budget(maxTokens: 20_000, maxToolCalls: 3))
        let writer = try #require(loaded.agents.first)
        #expect(writer.limits.maxTurns == 5)
        #expect(writer.limits.maxInputTokens == 9000)
        #expect(writer.limits.maxOutputTokens == 1000)
        #expect(writer.limits.soft == SoftLimit(share: 0.5, action: .record))
    }

    @Test func loopDetectionIsOnByDefaultAndCanBeTurnedOff() throws {
        let plain = try Fixtures.loader.load(yaml: "baton: 1\nname: a\nnodes:\n  a: { set: { x: 1 } }\n")
        #expect(plain.workflow.limits.loops == .default)
        #expect(plain.workflow.limits.budget == .unlimited)
        let off = try Fixtures.loader.load(yaml: "baton: 1\nname: a\nlimits: { same_tool_calls: false }\nnodes:\n  a: { set: { x: 1 } }\n")
        #expect(off.workflow.limits.loops.sameToolCalls == nil)
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        let header = "baton: 1\nname: t\n"
        let node = "nodes:\n  a: { set: { x: 1 } }\n"
        expectDiagnostic(header + "limits: { max_cost_usd: lots }\n" + node, line: 3, column: 25, path: "limits.max_cost_usd", "an amount of US dollars")
        expectDiagnostic(header + "limits: { max_tokens: -5 }\n" + node, line: 3, column: 23, path: "limits.max_tokens", "a non-negative integer")
        expectDiagnostic(header + "limits: { soft_limit: 1.5 }\n" + node, line: 3, column: 23, path: "limits.soft_limit", "a share between 0 and 1")
        expectDiagnostic(header + "limits: { soft_limit: { at: 0.5, action: panic } }\n" + node, line: 3, column: 42, path: "limits.soft_limit.action", "expected record, downgrade, compact, summarize or extend")
        expectDiagnostic(header + "limits: { on_loop: ignore }\n" + node, line: 3, column: 20, path: "limits.on_loop", "expected stop or escalate")
        expectDiagnostic(header + "limits: { same_tool_calls: 1 }\n" + node, line: 3, column: 28, path: "limits.same_tool_calls", "an integer of at least 2")
        expectDiagnostic(header + "limits: { max_wall_time: soon }\n" + node, line: 3, column: 26, path: "limits.max_wall_time", "expected a duration")
        expectDiagnostic(header + "nodes:\n  a: { set: { x: 1 }, budget: { max_steps: 3 } }\n", line: 4, column: 33, path: "nodes.a.budget.max_steps", "unknown key 'max_steps'")
        expectDiagnostic(header + "limits: { soft_limit: { action: extend } }\n" + node, line: 3, column: 23, path: "limits.soft_limit", "say which role may extend the budget")
        expectDiagnostic(header + "limits: { soft_limit: { action: record, role: finance } }\n" + node, line: 3, column: 47, path: "limits.soft_limit.role", "applies only to 'action: extend'")
        expectDiagnostic(header + "limits: { soft_limit: { action: extend, role: finance, factor: 1 } }\n" + node, line: 3, column: 64, path: "limits.soft_limit.factor", "what each limit is multiplied by")
        let agent = "agents:\n  w: { model: scripted:w.yaml, instructions: W., limits: { soft_limit: { action: extend, role: finance } } }\nnodes:\n  a: { agent: w }\n"
        expectDiagnostic(header + agent, line: 4, column: 72, path: "agents.w.limits.soft_limit", "applies to a workflow's or a node's budget")
    }

    @Test func aSoftLimitCanAskARoleToExtendTheBudget() throws {
        let loaded = try Fixtures.loader.load(yaml: """
            baton: 1
            name: extending
            limits:
              max_cost_usd: 2
              soft_limit: { at: 0.9, action: extend, role: finance, factor: 1.5, timeout: 1h, on_timeout: approve }
            nodes:
              write:
                set: { x: 1 }
                budget: { max_tool_calls: 4, soft_limit: { action: summarize } }
            """)
        let request = BudgetExtensionRequest(role: "finance", factor: 1.5, timeout: .seconds(3600), onTimeout: .approve)
        #expect(loaded.workflow.limits.budget.soft == SoftLimit(share: 0.9, action: .extend, extensionRequest: request))
        #expect(loaded.workflow.node("write")?.policy.budget?.soft == SoftLimit(action: .summarize))
        #expect(loaded.workflow.limits.budget.json["soft_limit"]?["extension"]?["role"] == "finance", "the extension is part of the content hash")
    }
}
