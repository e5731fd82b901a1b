import BatonCore
import BatonSpec
import Testing

/// Each kind of bad input, checked for its file:line:column, path and message.
@Suite struct DiagnosticsTests {
    @Test func descriptionReadsLikeACompilerMessage() {
        let found = diagnostics("""
            baton: 1
            name: triage
            nodes:
              fix:
                function: fix_bug
                retry: { max_attempts: three }
            """, file: "triage.yaml")
        #expect(found.map(\.description) == [#"triage.yaml:6:28: nodes.fix.retry.max_attempts: expected a positive integer, found "three""#])
    }

    @Test func malformedYAMLCarriesTheParserPosition() {
        expectDiagnostic("baton: 1\nname: x\nnodes:\n  a: [1, 2\n  b: 3\n", line: 5, column: 4, path: "", "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts at line 4, column 6)")
    }

    @Test func tabsGetAHint() {
        expectDiagnostic("baton: 1\nname: x\nnodes:\n\ta: { set: {} }\n", line: 4, column: 1, path: "", "use spaces")
    }

    @Test func emptyFileAndSecondDocument() {
        expectDiagnostic("", line: 1, column: 1, path: "", "the file is empty")
        expectDiagnostic("# only a comment\n", line: 1, column: 1, path: "", "the file is empty")
        expectDiagnostic("baton: 1\nname: x\nnodes: { a: { set: {} } }\n---\nbaton: 1\n", line: 4, column: 1, path: "", "a second one starts here")
    }

    @Test func topLevelMustBeAMapping() {
        expectDiagnostic("- a\n- b\n", line: 1, column: 1, path: "", "expected a workflow (a mapping with baton, name and nodes), found a list")
    }

    @Test func formatVersion() {
        expectDiagnostic("name: x\nnodes: { a: { set: {} } }\n", line: 1, column: 1, path: "", "missing required key 'baton'")
        expectDiagnostic("baton: 2\nname: x\nnodes: { a: { set: {} } }\n", line: 1, column: 8, path: "baton", "unsupported format version 2")
        expectDiagnostic("baton: one\nname: x\nnodes: { a: { set: {} } }\n", line: 1, column: 8, path: "baton", #"expected the format version 1, found "one""#)
    }

    @Test func missingRequiredKeys() {
        expectDiagnostic("baton: 1\nnodes: { a: { set: {} } }\n", line: 1, column: 1, path: "", "missing required key 'name'")
        expectDiagnostic("baton: 1\nname: x\n", line: 1, column: 1, path: "", "missing required key 'nodes'")
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  each:\n    map: { node: b, into: out }\n  b: { set: {} }\nstate: { out: append }\n",
            line: 5, column: 10, path: "nodes.each.map", "missing required key 'over'"
        )
    }

    @Test func noNodes() {
        expectDiagnostic("baton: 1\nname: x\nnodes: {}\n", line: 3, column: 8, path: "nodes", "expected at least one node, found none")
        expectDiagnostic("baton: 1\nname: x\nnodes:\n", line: 3, column: 7, path: "nodes", "expected a mapping of node names to nodes, found nothing")
    }

    @Test func unknownKeysSuggestTheClosest() {
        expectDiagnostic("baton: 1\nname: x\nnode:\n  a: { set: {} }\n", line: 3, column: 1, path: "node", "unknown key 'node' (did you mean 'nodes'?)")
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a:\n    function: classify\n    retires: 3\n", line: 6, column: 5, path: "nodes.a.retires",
            "unknown key 'retires' (did you mean 'retry'?)"
        )
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a:\n    function: classify\n    retry: { max_attempt: 3 }\n", line: 6, column: 14,
            path: "nodes.a.retry.max_attempt", "(did you mean 'max_attempts'?)"
        )
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a:\n    agent: writer\n    args: { q: x }\n", line: 6, column: 5, path: "nodes.a.args",
            "'args' does not apply to a agent node; it belongs with tool nodes"
        )
    }

    @Test func nodeKinds() {
        expectDiagnostic("baton: 1\nname: x\nnodes:\n  a: { timeout: 5s }\n", line: 4, column: 3, path: "nodes.a", "the node says nothing about what it does")
        expectDiagnostic("baton: 1\nname: x\nnodes:\n  a: { fucntion: classify }\n", line: 4, column: 8, path: "nodes.a", "('fucntion': did you mean 'function'?)")
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a: { set: {}, function: classify }\n", line: 4, column: 17, path: "nodes.a.function",
            "has both 'set' and 'function'"
        )
    }

    @Test func unknownFunctionIsALoadError() {
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a: { function: fix_bugs }\n", line: 4, column: 18, path: "nodes.a.function",
            "unknown function 'fix_bugs' (did you mean 'fix_bug'?)"
        )
    }

    @Test func unknownNodeReferences() {
        let base = "baton: 1\nname: x\nnodes:\n  a: { set: {} }\n  b: { set: {} }\n"
        expectDiagnostic(base + "edges:\n  - a -> bb\n", line: 7, column: 10, path: "edges[0]", "refers to unknown node 'bb' (did you mean 'b'?)")
        expectDiagnostic(base + "edges:\n  - { from: a, to: [b, c] }\n", line: 7, column: 24, path: "edges[0].to[1]", "refers to unknown node 'c'")
        expectDiagnostic(base + "edges:\n  - { from: [a, z], to: b }\n", line: 7, column: 17, path: "edges[0].from[1]", "refers to unknown node 'z'")
        expectDiagnostic(base + "entry: q\nedges: [a -> b]\n", line: 6, column: 8, path: "entry", "refers to unknown node 'q'")
        expectDiagnostic(base + "entry: [a, q]\nedges: [a -> b]\n", line: 6, column: 12, path: "entry[1]", "refers to unknown node 'q'")
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a:\n    branch:\n      - when: state.x\n        to: b\n      - otherwise: nowhere\n  b: { set: {} }\n",
            line: 8, column: 20, path: "nodes.a.branch[1].otherwise", "refers to unknown node 'nowhere'"
        )
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a:\n    branch:\n      - when: state.x\n        to: [b, c]\n  b: { set: {} }\n",
            line: 7, column: 13, path: "nodes.a.branch[0].to", "refers to unknown node 'c'"
        )
        expectDiagnostic(
            "baton: 1\nname: x\nstate: { out: append }\nnodes:\n  a:\n    map: { over: state.xs, node: body, into: out }\n",
            line: 6, column: 34, path: "nodes.a.map.node", "refers to unknown node 'body'"
        )
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a:\n    function: classify\n    fallback: b2\n  b: { set: {} }\nedges: [a -> b]\n",
            line: 6, column: 15, path: "nodes.a.fallback", "refers to unknown node 'b2' (did you mean 'b'?)"
        )
    }

    @Test func unreachableNodes() {
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a: { set: {} }\n  lonely: { set: {} }\n", line: 5, column: 3, path: "nodes.lonely",
            "node 'lonely' can never run"
        )
    }

    @Test func cyclesNeedAWayOut() {
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a: { set: {} }\n  b: { set: {} }\nedges:\n  - a -> b\n  - b -> a\n", line: 6, column: 1, path: "edges",
            "the cycle a → b → a has no condition to leave it"
        )
    }

    @Test func reducers() {
        expectDiagnostic(
            "baton: 1\nname: x\nstate:\n  log: { reducer: apend }\nnodes:\n  a: { set: {} }\n", line: 4, column: 19, path: "state.log.reducer",
            "unknown reducer 'apend' (did you mean 'append'?)"
        )
        expectDiagnostic(
            "baton: 1\nname: x\nstate:\n  best: maxi\nnodes:\n  a: { set: {} }\n", line: 4, column: 9, path: "state.best",
            "unknown reducer 'maxi'"
        )
        expectDiagnostic(
            "baton: 1\nname: x\nstate:\n  log: { reducer: append, initial: 0 }\nnodes:\n  a: { set: {} }\n", line: 4, column: 36,
            path: "state.log.initial", "the append reducer needs an array, but the initial value is integer 0"
        )
    }

    @Test func durations() {
        let prefix = "baton: 1\nname: x\nnodes:\n  a:\n    function: classify\n"
        expectDiagnostic(prefix + "    timeout: 5 minutes\n", line: 6, column: 14, path: "nodes.a.timeout", #"expected a duration such as 250ms, 30s, 5m or 1h (or a number of seconds), found "5 minutes""#)
        expectDiagnostic(prefix + "    timeout: 0s\n", line: 6, column: 14, path: "nodes.a.timeout", "expected a duration longer than zero")
        expectDiagnostic(prefix + "    timeout: -3\n", line: 6, column: 14, path: "nodes.a.timeout", "found -3")
        expectDiagnostic(prefix + "    retry: { backoff: 3d }\n", line: 6, column: 23, path: "nodes.a.retry.backoff", #"found "3d""#)
        expectDiagnostic(prefix + "    retry: { jitter: 2 }\n", line: 6, column: 22, path: "nodes.a.retry.jitter", "expected a fraction from 0 to 1, found 2")
    }

    @Test func expressionsPointAtTheColumn() {
        let base = "baton: 1\nname: x\nnodes:\n  a: { set: {} }\n  b: { set: {} }\nedges:\n"
        expectDiagnostic(base + "  - { from: a, to: b, when: \"state.count >> 2\" }\n", line: 7, column: 43, path: "edges[0].when", "at column 14")
        expectDiagnostic(base + "  - { from: a, to: b, when: state.count >> 2 }\n", line: 7, column: 42, path: "edges[0].when", "invalid expression `state.count >> 2` at column 14")
        expectDiagnostic(
            base + "  - { from: a, to: b, when: \"ticket.kind == 'bug'\" }\n", line: 7, column: 30, path: "edges[0].when",
            "the expression reads 'ticket', which is not defined here: an expression here reads state, input or output (did you mean 'state.ticket'?)"
        )
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a:\n    branch:\n      - when: output.ok\n        to: end\n", line: 6, column: 15,
            path: "nodes.a.branch[0].when", "the expression reads 'output', which is not defined here"
        )
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a: { set: { n: { expr: \"len(\" } } }\n", line: 4, column: 31, path: "nodes.a.set.n.expr", "invalid expression `len(` at column 5"
        )
    }

    @Test func templates() {
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a: { set: { t: \"{{#open}} never closed\" } }\n", line: 4, column: 18, path: "nodes.a.set.t", "invalid Mustache template"
        )
    }

    @Test func values() {
        let prefix = "baton: 1\nname: x\nnodes:\n  a:\n    set:\n"
        expectDiagnostic(prefix + "      xs: [1, 2]\n", line: 6, column: 11, path: "nodes.a.set.xs", "to use the list as it is, write { literal: [...] }")
        expectDiagnostic(prefix + "      o: { a: 1, b: 2 }\n", line: 6, column: 10, path: "nodes.a.set.o", "to use an object as it is, write { literal: {...} }")
        expectDiagnostic(prefix + "      o: { cpy: state.x }\n", line: 6, column: 10, path: "nodes.a.set.o", "unknown value form 'cpy' (did you mean 'copy'?)")
        expectDiagnostic(prefix + "      o: { literal: .inf }\n", line: 6, column: 21, path: "nodes.a.set.o.literal", "expected a finite number")
        expectDiagnostic(prefix + "      o: { copy: \"a..b\" }\n", line: 6, column: 18, path: "nodes.a.set.o.copy", "empty member name")
        expectDiagnostic(prefix + "      input.x: 1\n", line: 6, column: 7, path: "nodes.a.set.input.x", "expected a state path to assign")
    }

    @Test func schemas() {
        expectDiagnostic("baton: 1\nname: x\ninput: [1]\nnodes:\n  a: { set: {} }\n", line: 3, column: 8, path: "input", "expected a JSON Schema")
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a:\n    function: classify\n    success: { shape: {} }\n", line: 6, column: 16, path: "nodes.a.success.shape",
            "unknown key 'shape'"
        )
        expectDiagnostic("baton: 1\nname: x\ninput: { type: 5 }\nnodes:\n  a: { set: {} }\n", line: 3, column: 16, path: "input.type", "invalid JSON Schema")
        expectDiagnostic(
            "baton: 1\nname: x\ninput:\n  type: object\n  properties:\n    age: { minimum: low }\nnodes:\n  a: { set: {} }\n", line: 6, column: 21,
            path: "input.properties.age.minimum", "invalid JSON Schema"
        )
        expectDiagnostic(
            "baton: 1\nname: x\ninput: { allOf: [ {}, { type: 5 } ] }\nnodes:\n  a: { set: {} }\n", line: 3, column: 31,
            path: "input.allOf[1].type", "invalid JSON Schema"
        )
    }

    @Test func duplicateKeys() {
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a: { set: {} }\n  b: { set: {} }\n  a: { set: {} }\n", line: 6, column: 3, path: "",
            "the key 'a' appears twice in the same mapping (first at line 4)"
        )
    }

    @Test func names() {
        expectDiagnostic("baton: 1\nname: \"two words\"\nnodes:\n  a: { set: {} }\n", line: 2, column: 7, path: "name", "expected a workflow name")
        expectDiagnostic("baton: 1\nname: x\nnodes:\n  \"a b\": { set: {} }\n", line: 4, column: 3, path: "nodes.a b", "expected a node name")
        expectDiagnostic("baton: 1\nname: x\nnodes:\n  end: { set: {} }\n", line: 4, column: 3, path: "nodes.end", "'end' is reserved")
    }

    @Test func branchShape() {
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a:\n    branch:\n      - otherwise: b\n      - when: state.x\n        to: b\n  b: { set: {} }\n",
            line: 6, column: 9, path: "nodes.a.branch[0].otherwise", "'otherwise' must be the last case"
        )
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a:\n    branch:\n      - when: state.x\n  b: { set: {} }\n", line: 6, column: 9, path: "nodes.a.branch[0]",
            "missing required key 'to'"
        )
    }

    @Test func edgesLeavingABranchAreRefused() {
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a:\n    branch:\n      - otherwise: b\n  b: { set: {} }\n  c: { set: {} }\nedges:\n  - a -> c\n",
            line: 10, column: 5, path: "edges[0]", "'a' is a branch node"
        )
    }

    @Test func mapResultsNeedAKeepingReducer() {
        expectDiagnostic(
            "baton: 1\nname: x\nnodes:\n  a:\n    map: { over: state.xs, node: b, into: out }\n  b: { set: {} }\n", line: 5, column: 43,
            path: "nodes.a.map.into", "declare it under state with reducer: append"
        )
    }

    @Test func waitShape() {
        let prefix = "baton: 1\nname: x\nnodes:\n  a:\n"
        expectDiagnostic(prefix + "    wait: { timer: 5s, signal: go }\n", line: 5, column: 13, path: "nodes.a.wait.timer", "either a timer or a signal")
        expectDiagnostic(prefix + "    wait: {}\n", line: 5, column: 11, path: "nodes.a.wait", "a wait needs a signal")
    }

    @Test func manyProblemsAreReportedTogether() {
        let found = diagnostics("""
            baton: 1
            name: x
            nodes:
              a:
                function: nope
                timeout: soon
              b:
                set: { x: { expr: "1 +" } }
            edges:
              - a -> b
              - { from: b, to: a, when: "ticket" }
              - a -> zz
            """)
        #expect(found.map(\.path) == ["nodes.a.function", "nodes.a.timeout", "nodes.b.set.x.expr", "edges[1].when", "edges[2]"])
        #expect(found.map(\.line) == [5, 6, 8, 11, 12])
        #expect(found.last?.message.contains("unknown node 'zz'") == true)
    }
}
