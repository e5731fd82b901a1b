import BatonCore
import BatonSpec
import Testing

/// A document that uses every key of the format; also checked against docs/workflow.schema.json.
let triageYAML = """
    baton: 1
    name: triage
    version: "2025-01"
    description: Routes a ticket, fixes bugs, waits for approval.
    input:
      type: object
      required: [ticket]
    state:
      log: { reducer: append, initial: [] }
      total: { reducer: sum, initial: 0 }
      best: maximum
      notes: {}
      summaries: { reducer: append, initial: [] }
    limits: { max_steps: 100, max_map_items: 1000, max_concurrency: 8 }
    entry: classify
    nodes:
      classify:
        set:
          category: "{{ticket.kind}}"
          seen: { copy: state.ticket }
          flag: { literal: true }
          n: { expr: "len(state.log) + 1" }
          plain: 42
          note.title: { template: "Ticket {{ticket.id}}" }
      route:
        branch:
          - when: state.category == 'bug'
            to: fix
          - when: state.category == 'question'
            to: [lookup, write]
          - otherwise: [reply]
      fix:
        function: fix_bug
        retry: { max_attempts: 3, backoff: 200ms, multiplier: 2, max_backoff: 10s, jitter: 0.2, retry_on: [timeout], never_retry_on: [auth] }
        timeout: 30s
        fallback: reply
        success: { schema: { type: object, required: [patch] } }
        into: patch
        max_visits: 3
      review:
        function: review
        success: "output.review != null"
      each:
        map: { over: state.files, node: summarise, into: summaries, max_concurrency: 8 }
      summarise:
        workflow: summarise-one
        input: { text: { copy: item } }
      hold:
        wait: { signal: approval, timeout: 1h }
        into: decision
      nap:
        wait: { timer: 5s }
      lookup:
        tool: search_web
        args: { q: "{{ticket.title}}" }
      write:
        agent: writer
        input: { brief: { copy: state.brief } }
      reply:
        description: The fallback and the default route.
        set: { answer: "Thanks for ticket {{ticket.id}}" }
    edges:
      - classify -> route
      - { from: fix, to: review }
      - { from: review, to: fix, when: "state.review.ok == false" }
      - { from: review, to: each, when: "state.review.ok" }
      - each -> hold -> nap
      - { from: [lookup, write], to: reply }
      - { from: nap, to: end }
    output:
      answer: { copy: state.answer }
      patch: { copy: state.patch }
    """

@Suite struct LoadingTests {
    @Test func everyKeyCompilesToTheGraphValues() throws {
        let loaded = try Fixtures.loader.load(yaml: triageYAML, file: "triage.yaml")
        let workflow = loaded.workflow
        #expect(workflow.name == "triage")
        #expect(workflow.versionLabel == "2025-01")
        #expect(workflow.summary == "Routes a ticket, fixes bugs, waits for approval.")
        #expect(workflow.inputSchema?.source == ["type": "object", "required": ["ticket"]])
        #expect(workflow.entry == ["classify"])
        #expect(workflow.limits == RunLimits(maxSteps: 100, maxMapItems: 1000, maxConcurrency: 8))
        #expect(workflow.nodes.map(\.id) == ["classify", "route", "fix", "review", "each", "summarise", "hold", "nap", "lookup", "write", "reply"])
        #expect(workflow.sourceHash == Hash.sha256Hex(Array(triageYAML.utf8)))

        #expect(workflow.state.keys["log"]?.reducer.name == "append")
        #expect(workflow.state.keys["log"]?.initial == [])
        #expect(workflow.state.keys["total"]?.reducer.name == "sum")
        #expect(workflow.state.keys["best"]?.reducer.name == "maximum")
        #expect(workflow.state.keys["notes"]?.reducer.name == "replace")
        #expect(workflow.state.keys["notes"]?.initial == nil)

        let classify = try #require(workflow.node("classify"))
        guard case let .set(assignments) = classify.kind else { Issue.record("classify is not a set node"); return }
        #expect(assignments.map(\.path.description) == ["category", "seen", "flag", "n", "plain", "note.title"])
        let kinds = assignments.map { assignment -> String in
            switch assignment.source {
            case .literal: return "literal"
            case .copy: return "copy"
            case .template: return "template"
            case .expression: return "expression"
            }
        }
        #expect(kinds == ["template", "copy", "literal", "expression", "literal", "template"])

        let fix = try #require(workflow.node("fix"))
        #expect(fix.kind.name == "function")
        #expect(fix.policy.retry == RetryPolicy(
            maxAttempts: 3, initialBackoff: .milliseconds(200), multiplier: 2, maxBackoff: .seconds(10), jitter: 0.2,
            retryOn: ["timeout"], neverRetryOn: ["auth"]
        ))
        #expect(fix.policy.timeout == .seconds(30))
        #expect(fix.policy.fallback == "reply")
        #expect(fix.into == "patch")
        #expect(fix.maxVisits == 3)
        guard case .schema? = fix.policy.success else { Issue.record("fix has no schema criterion"); return }
        guard case .condition? = workflow.node("review")?.policy.success else { Issue.record("review has no condition"); return }

        guard case let .branch(branch)? = workflow.node("route")?.kind else { Issue.record("route is not a branch"); return }
        #expect(branch.cases.map(\.targets) == [["fix"], ["lookup", "write"]])
        #expect(branch.otherwise == ["reply"])

        guard case let .map(map)? = workflow.node("each")?.kind else { Issue.record("each is not a map"); return }
        #expect(map.over.description == "state.files")
        #expect(map.node == "summarise")
        #expect(map.into == "summaries")
        #expect(map.maxConcurrency == 8)

        guard case let .wait(hold)? = workflow.node("hold")?.kind else { Issue.record("hold is not a wait"); return }
        #expect(hold.signal == "approval")
        #expect(hold.timeout == .seconds(3600))
        guard case let .wait(nap)? = workflow.node("nap")?.kind else { Issue.record("nap is not a wait"); return }
        #expect(nap.signal == nil)
        #expect(nap.timeout == .seconds(5))

        guard case let .workflow(call)? = workflow.node("summarise")?.kind else { Issue.record("summarise is not a workflow"); return }
        #expect(call.workflow == "summarise-one")
        #expect(call.input?.keys.sorted() == ["text"])
        guard case let .tool(tool)? = workflow.node("lookup")?.kind else { Issue.record("lookup is not a tool"); return }
        #expect(tool.tool == "search_web")
        guard case let .agent(agent)? = workflow.node("write")?.kind else { Issue.record("write is not an agent"); return }
        #expect(agent.agent == "writer")
        #expect(workflow.node("reply")?.summary == "The fallback and the default route.")

        let edges = workflow.edges.map { "\($0.from.joined(separator: ",")) -> \($0.to.joined(separator: ","))\($0.condition == nil ? "" : " ?")" }
        #expect(edges == [
            "classify -> route", "fix -> review", "review -> fix ?", "review -> each ?", "each -> hold", "hold -> nap", "lookup,write -> reply",
            "nap -> end",
        ])
        #expect(workflow.output?.keys.sorted() == ["answer", "patch"])
    }

    @Test func storedDocumentKeepsTheSourceAndLocation() throws {
        let loaded = try Fixtures.loader.load(yaml: triageYAML, file: "/tmp/triage.yaml")
        #expect(loaded.stored.format == "yaml")
        #expect(loaded.stored.source == triageYAML)
        #expect(loaded.stored.location == "/tmp/triage.yaml")
        #expect(loaded.stored.hash == loaded.workflow.contentHash)
        #expect(loaded.stored.name == "triage")
        #expect(loaded.stored.versionLabel == "2025-01")
        let again = try Fixtures.loader.load(stored: loaded.stored)
        #expect(again.structure == loaded.workflow.structure)
    }

    @Test func shorthandsAndDefaults() throws {
        let loaded = try Fixtures.loader.load(yaml: """
            baton: 1
            name: short
            state:
              total: sum
              anything:
            nodes:
              a: { function: classify, retry: 4, timeout: 1.5 }
              b: { set: {} }
              c: { set: { x: 1 } }
              d: { set: { y: 2 } }
            edges:
              - a -> [b, c] -> d
              - "c -> end"
            """)
        let workflow = loaded.workflow
        #expect(workflow.entry == ["a"])
        #expect(workflow.limits == .default)
        #expect(workflow.state.keys["total"]?.reducer.name == "sum")
        #expect(workflow.state.keys["anything"]?.reducer.name == "replace")
        #expect(workflow.node("a")?.policy.retry.maxAttempts == 4)
        #expect(workflow.node("a")?.policy.timeout == .milliseconds(1500))
        #expect(workflow.node("a")?.maxVisits == Node.defaultMaxVisits)
        #expect(workflow.edges.map(\.from) == [["a"], ["b", "c"], ["c"]])
        #expect(workflow.edges.map(\.to) == [["b", "c"], ["d"], ["end"]])
    }

    @Test func durations() throws {
        let cases: [(String, Duration)] = [
            ("250ms", .milliseconds(250)), ("30s", .seconds(30)), ("5m", .seconds(300)), ("1h", .seconds(3600)),
            ("1h30m", .seconds(5400)), ("1.5s", .milliseconds(1500)), ("2", .seconds(2)), ("0.25", .milliseconds(250)),
            ("1m30s", .seconds(90)), ("\"45s\"", .seconds(45)),
        ]
        for (text, expected) in cases {
            let workflow = try Fixtures.loader.load(yaml: "baton: 1\nname: d\nnodes:\n  a: { function: classify, timeout: \(text) }\n").workflow
            #expect(workflow.node("a")?.policy.timeout == expected, "\(text)")
        }
    }

    @Test func entryMayNameSeveralNodes() throws {
        let workflow = try Fixtures.loader.load(yaml: """
            baton: 1
            name: two
            entry: [a, b]
            nodes:
              a: { set: { x: 1 } }
              b: { set: { y: 2 } }
            """).workflow
        #expect(workflow.entry == ["a", "b"])
    }

    @Test func toolAndAgentNamesAreCheckedWhenProvidersAreGiven() throws {
        struct Tools: ToolInvoker {
            func callTool(_ tool: String, arguments: JSON, context: StepContext) async throws -> JSON { arguments }
            func hasTool(_ tool: String) -> Bool { tool == "search_web" }
            var toolNames: [String] { ["search_web"] }
        }
        let loader = WorkflowLoader(functions: Fixtures.functions, tools: Tools())
        _ = try loader.load(yaml: "baton: 1\nname: t\nnodes:\n  a: { tool: search_web }\n")
        expectDiagnostic("baton: 1\nname: t\nnodes:\n  a: { tool: serch_web }\n", line: 4, column: 14, path: "nodes.a.tool", "unknown tool 'serch_web'", loader: loader)
    }

    @Test func scalarsFollowYAML12() throws {
        let workflow = try Fixtures.loader.load(yaml: """
            baton: 1
            name: scalars
            nodes:
              a:
                set:
                  answer: no
                  v: { literal: [0x10, 0o17, 007, 12:30, 2025-01-01, yes, true, 1e3, ~, "3"] }
            """).workflow
        guard case let .set(assignments)? = workflow.node("a")?.kind else { Issue.record("not a set node"); return }
        guard case let .template(template) = assignments[0].source else { Issue.record("'no' is not text"); return }
        #expect(template.source == "no")
        guard case let .literal(value) = assignments[1].source else { Issue.record("not a literal"); return }
        #expect(value == [16, 15, 7, "12:30", "2025-01-01", "yes", true, 1000.0, nil, "3"])
    }

    @Test func documentAsJSON() throws {
        let json = try WorkflowLoader.json(yaml: "baton: 1\nname: x\nnodes: { a: { set: { n: 1 } } }\n")
        #expect(json == ["baton": 1, "name": "x", "nodes": ["a": ["set": ["n": 1]]]])
    }
}
