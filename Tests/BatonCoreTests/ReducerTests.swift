import BatonCore
import Testing

@Suite struct ReducerTests {
    @Test func replaceTakesTheWrite() throws {
        #expect(try Reducer.replace.reduce(1, "x", key: "k") == "x")
        #expect(try Reducer.replace.reduce(nil, nil, key: "k") == .null)
    }

    @Test func appendAddsOneValueOrEachElementOfAList() throws {
        #expect(try Reducer.append.reduce(nil, 1, key: "k") == [1])
        #expect(try Reducer.append.reduce(.null, [1, 2], key: "k") == [1, 2])
        #expect(try Reducer.append.reduce([0], 1, key: "k") == [0, 1])
        #expect(try Reducer.append.reduce([0], [1, 2], key: "k") == [0, 1, 2])
        #expect(try Reducer.append.reduce([0], [[1]], key: "k") == [0, [1]])
        #expect(throws: StateError.self) { try Reducer.append.reduce("text", 1, key: "k") }
    }

    @Test func mergeCombinesObjectsRecursively() throws {
        let current: JSON = ["a": 1, "nested": ["x": 1, "y": 2]]
        let merged = try Reducer.merge.reduce(current, ["b": 2, "nested": ["y": 3, "z": 4]], key: "k")
        #expect(merged == ["a": 1, "b": 2, "nested": ["x": 1, "y": 3, "z": 4]])
        #expect(try Reducer.merge.reduce(nil, ["a": 1], key: "k") == ["a": 1])
        #expect(throws: StateError.self) { try Reducer.merge.reduce(["a": 1], 5, key: "k") }
        #expect(throws: StateError.self) { try Reducer.merge.reduce([1], ["a": 1], key: "k") }
    }

    @Test func sumAddsNumbersAndKeepsIntegersIntegral() throws {
        #expect(try Reducer.sum.reduce(nil, 2, key: "k") == 2)
        #expect(try Reducer.sum.reduce(2, 3, key: "k") == .int(5))
        #expect(try Reducer.sum.reduce(2, 0.5, key: "k") == 2.5)
        #expect(try Reducer.sum.reduce(.int(Int.max), 1, key: "k") == .double(Double(Int.max) + 1))
        #expect(throws: StateError.self) { try Reducer.sum.reduce(1, "2", key: "k") }
        #expect(throws: StateError.self) { try Reducer.sum.reduce("1", 2, key: "k") }
    }

    @Test func customReducersRunAndTheirErrorsNameTheKey() throws {
        let longest = Reducer.custom(CustomReducer(name: "longest") { current, update in
            (current?.stringValue?.count ?? -1) >= (update.stringValue?.count ?? 0) ? current ?? update : update
        })
        #expect(try longest.reduce("ab", "abc", key: "k") == "abc")
        #expect(try longest.reduce("abcd", "abc", key: "k") == "abcd")
        struct Refused: Error {}
        let failing = Reducer.custom(CustomReducer(name: "refuse") { _, _ in throw Refused() })
        do {
            _ = try failing.reduce(nil, 1, key: "total")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("'refuse'"))
            #expect(error.description.contains("'total'"))
        }
    }

    @Test func applyFoldsWritesInTheOrderGiven() throws {
        let schema = StateSchema(["log": .init(reducer: .append), "last": .init(reducer: .replace), "n": .init(reducer: .sum)])
        var state: [String: JSON] = ["log": ["start"]]
        try schema.apply([
            StateWrite(key: "log", value: "a"), StateWrite(key: "last", value: "a"), StateWrite(key: "n", value: 1),
            StateWrite(key: "log", value: "b"), StateWrite(key: "last", value: "b"), StateWrite(key: "n", value: 2),
        ], to: &state)
        #expect(state == ["log": ["start", "a", "b"], "last": "b", "n": 3])
    }

    @Test func appendingManyWritesInOneSuperstepIsLinear() throws {
        // 20,000 appends in one apply: quadratic copying would take seconds even in release.
        let schema = StateSchema(["items": .init(reducer: .append)])
        var state: [String: JSON] = ["items": []]
        try schema.apply((0..<20_000).map { StateWrite(key: "items", value: .int($0)) }, to: &state)
        #expect(state["items"]?.arrayValue?.count == 20_000)
        #expect(state["items"]?.arrayValue?.last == 19_999)
    }

    @Test func initialStateIsDeclaredValuesThenInput() {
        let schema = StateSchema(["log": .init(reducer: .append, initial: []), "mode": .init(initial: "fast")])
        #expect(schema.initialState(input: ["mode": "careful", "extra": 1]) == ["log": [], "mode": "careful", "extra": 1])
    }
}

@Suite struct WorkflowValidationTests {
    func issues(_ build: (inout WorkflowBuilder) -> Void) -> [WorkflowIssue] {
        var flow = WorkflowBuilder("check")
        build(&flow)
        do {
            _ = try flow.build()
            return []
        } catch {
            return error.issues
        }
    }

    @Test func unknownNodesAreNamedWithASuggestion() {
        let found = issues { flow in
            flow.function("fetch") { _ in nil }
            flow.edge("fetch", "summarize")
            flow.function("summarise") { _ in nil }
        }
        #expect(found.contains { $0.path == "edges[0].to[0]" && $0.message.contains("unknown node 'summarize'") && $0.message.contains("did you mean 'summarise'") })
    }

    @Test func unreachableNodesAreReported() {
        let found = issues { flow in
            flow.function("a") { _ in nil }
            flow.function("orphan") { _ in nil }
        }
        #expect(found.map(\.path) == ["nodes.orphan"])
    }

    @Test func aCycleWithoutAConditionIsRejected() {
        let found = issues { flow in
            flow.function("a") { _ in nil }
            flow.function("b") { _ in nil }
            flow.edge("a", "b")
            flow.edge("b", "a")
        }
        #expect(found.contains { $0.message.contains("a → b → a") && $0.message.contains("no condition") })
        let guarded = issues { flow in
            flow.function("a") { _ in nil }
            flow.function("b") { _ in nil }
            flow.edge("a", "b")
            flow.edge("b", "a", when: .predicate(name: "again") { _ in false })
        }
        #expect(guarded.isEmpty)
    }

    @Test func duplicateAndReservedNamesAndMissingEntryAreReported() {
        #expect(issues { _ in }.contains { $0.path == "entry" })
        let found = issues { flow in
            flow.function("end") { _ in nil }
            flow.function("x") { _ in nil }
            flow.function("x") { _ in nil }
            flow.edge("end", "x")
        }
        #expect(found.contains { $0.message.contains("reserved") })
        #expect(found.contains { $0.message.contains("used twice") })
    }

    @Test func fallbacksAndMapBodiesMustExist() {
        let found = issues { flow in
            flow.function("a", policy: ExecutionPolicy(fallback: "missing")) { _ in nil }
            flow.node("m", .map(MapSpec(over: try! StatePath("items"), node: "nobody", into: "out")))
            flow.edge("a", "m")
        }
        #expect(found.contains { $0.path == "nodes.a.fallback" })
        #expect(found.contains { $0.path == "nodes.m.node" })
    }
}
