import BatonCore
import BatonSpec
import Foundation
import Testing

/// Sub-workflow files: loaded relative to their parent, once each, cycle-safe; and stored
/// documents loaded again to resume runs.
@Suite struct SubworkflowTests {
    func write(_ files: [String: String]) throws -> URL {
        let directory = try Fixtures.scratchDirectory()
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func filesAreLoadedRelativeToTheirParentAndOnce() throws {
        let directory = try write([
            "main.yaml": "baton: 1\nname: main\nnodes:\n  a: { workflow: lib/child.yaml }\n  b: { workflow: ./lib/child.yaml }\nedges: [a -> b]\n",
            "lib/child.yaml": "baton: 1\nname: child\nnodes:\n  c: { workflow: leaf.yaml }\n",
            "lib/leaf.yaml": "baton: 1\nname: leaf\nnodes:\n  d: { set: { done: { literal: true } } }\n",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let loaded = try WorkflowLoader().load(file: directory.appendingPathComponent("main.yaml").path)
        #expect(loaded.subworkflows.map(\.workflow.name) == ["child"])
        #expect(loaded.subworkflows.first?.subworkflows.map(\.workflow.name) == ["leaf"])
        #expect(loaded.all.map(\.workflow.name) == ["main", "child", "leaf"])
        guard case let .workflow(call)? = loaded.workflow.node("a")?.kind else { Issue.record("a is not a workflow node"); return }
        #expect(call.workflow == "child")
    }

    @Test func cyclesOfFilesEnd() throws {
        let directory = try write([
            "a.yaml": "baton: 1\nname: a\nnodes:\n  call_b: { workflow: b.yaml }\n",
            "b.yaml": "baton: 1\nname: b\nnodes:\n  call_a: { workflow: a.yaml }\n",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let loaded = try WorkflowLoader().load(file: directory.appendingPathComponent("a.yaml").path)
        #expect(loaded.subworkflows.map(\.workflow.name) == ["b"])
        #expect(loaded.subworkflows.first?.subworkflows.isEmpty == true)
        guard case let .workflow(call)? = loaded.subworkflows.first?.workflow.node("call_a")?.kind else { Issue.record("no call_a"); return }
        #expect(call.workflow == "a")
    }

    @Test func namesMustBeDistinct() throws {
        let directory = try write([
            "main.yaml": "baton: 1\nname: same\nnodes:\n  a: { workflow: child.yaml }\n",
            "child.yaml": "baton: 1\nname: same\nnodes:\n  b: { set: {} }\n",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try WorkflowLoader().load(file: directory.appendingPathComponent("main.yaml").path)
            Issue.record("loaded")
        } catch {
            #expect(error.diagnostics.contains { $0.file.hasSuffix("child.yaml") && $0.line == 2 && $0.path == "name" && $0.message.contains("is also named 'same'") })
        }
    }

    @Test func missingAndBrokenFilesAreReportedWhereTheyAreNamed() throws {
        let directory = try write([
            "main.yaml": "baton: 1\nname: main\nnodes:\n  a: { workflow: nope.yaml }\n  b: { workflow: broken.yaml }\nedges: [a -> b]\n",
            "broken.yaml": "baton: 1\nname: broken\nnodes:\n  x: { function: missing }\n",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let main = directory.appendingPathComponent("main.yaml").path
        do {
            _ = try WorkflowLoader().load(file: main)
            Issue.record("loaded")
        } catch {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.count == 3, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(main):4:18: nodes.a.workflow: cannot load the sub-workflow file 'nope.yaml'") && $0.hasSuffix("no such file") })
            #expect(lines.contains { $0.hasPrefix("\(main):5:18: nodes.b.workflow: the sub-workflow file 'broken.yaml' has errors") })
            #expect(lines.contains { $0.hasPrefix("\(directory.path)/broken.yaml:4:18: nodes.x.function: unknown function 'missing'") })
        }
    }

    @Test func storedDocumentsResumeInANewEngine() async throws {
        let directory = try write([
            "parent.yaml": """
                baton: 1
                name: parent
                nodes:
                  ask: { workflow: child.yaml }
                  after: { set: { done: { literal: true } } }
                edges: [ask -> after]
                output: { answer: { copy: state.answer }, done: { copy: state.done } }
                """,
            "child.yaml": """
                baton: 1
                name: child
                nodes:
                  hold: { wait: { signal: go }, into: answer }
                output: { answer: { copy: state.answer } }
                """,
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let loader = WorkflowLoader()
        let loaded = try loader.load(file: directory.appendingPathComponent("parent.yaml").path)
        let store = InMemoryStore()
        let first = Engine(store: store, loader: loader.load(stored:))
        let parked = try await first.run(loaded)
        #expect(parked.status == .waiting)
        #expect(try await store.workflow(hash: loaded.workflow.contentHash)?.format == "yaml")

        // A new process: nothing registered, only the store and the loader.
        let second = Engine(store: store, loader: loader.load(stored:))
        let done = try await second.signal(parked.id, name: "go", payload: 42)
        #expect(done.status == .succeeded, "\(done.reason ?? "")")
        #expect(done.output == ["answer": 42, "done": true])
    }

    @Test func resumedRunsCanStartChildRunsOfFiles() async throws {
        let directory = try write([
            "parent.yaml": """
                baton: 1
                name: parent
                nodes:
                  hold: { wait: { signal: go }, into: topic }
                  ask: { workflow: child.yaml, input: { topic: { copy: state.topic } } }
                edges: [hold -> ask]
                """,
            "child.yaml": """
                baton: 1
                name: child
                nodes:
                  answer: { set: { answer: "about {{topic}}" } }
                output: { answer: { copy: state.answer } }
                """,
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let loader = WorkflowLoader()
        let store = InMemoryStore()
        let parked = try await Engine(store: store, workflows: loader).run(try loader.load(file: directory.appendingPathComponent("parent.yaml").path))
        #expect(parked.status == .waiting)

        let fresh = Engine(store: store, workflows: loader)
        let done = try await fresh.signal(parked.id, name: "go", payload: "otters")
        #expect(done.status == .succeeded, "\(done.reason ?? "")")
        #expect(done.output?["ask"] == nil)
        #expect(done.output?["answer"] == "about otters")
    }

    @Test func swiftDocumentsAreNotLoadable() {
        let stored = StoredWorkflow(hash: "h", name: "n", versionLabel: nil, format: "swift", source: "{}")
        #expect(throws: SpecError.self) { try WorkflowLoader().load(stored: stored) }
    }
}
