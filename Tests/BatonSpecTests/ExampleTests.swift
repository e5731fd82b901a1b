import BatonCore
import BatonSpec
import Foundation
import Testing

/// Every file in examples/ loads, and each runs offline to the result it promises.
@Suite struct ExampleTests {
    @Test func everyExampleLoads() throws {
        #expect(Fixtures.exampleFiles.count >= 5)
        for file in Fixtures.exampleFiles {
            do {
                let loaded = try WorkflowLoader().load(file: file.path)
                #expect(loaded.stored.location == file.standardizedFileURL.path)
            } catch {
                Issue.record("\(file.lastPathComponent) does not load:\n\(error)")
            }
        }
    }

    func load(_ name: String) throws -> LoadedWorkflow {
        try WorkflowLoader().load(file: Fixtures.examples.appendingPathComponent(name).path)
    }

    @Test func hello() async throws {
        let loaded = try load("hello.yaml")
        let small = try await Engine(store: InMemoryStore()).run(loaded)
        #expect(small.status == .succeeded)
        #expect(small.output?["title"] == "Welcome to the meetup")
        #expect(small.output?["greetings"] == [["line": "Hello, Ada!"], ["line": "Hello, Grace!"], ["line": "Hello, Linus!"]])
        #expect(small.output?["closing"] == "Just 3 of us: pull up a chair.")

        let crowd = try await Engine(store: InMemoryStore()).run(loaded, input: ["names": ["A", "B", "C", "D"], "event": "the party"])
        #expect(crowd.output?["closing"] == "All 4 of you: enjoy the party!")
        #expect(crowd.output?["greetings"]?.arrayValue?.count == 4)
    }

    @Test func approval() async throws {
        let engine = Engine(store: InMemoryStore())
        let parked = try await engine.run(try load("approval.yaml"), input: ["topic": "the new office"])
        #expect(parked.status == .waiting)
        #expect(parked.waitingFor.first?.signal == "approval")
        let done = try await engine.signal(parked.id, name: "approval", payload: ["approved": true, "by": "dana"])
        #expect(done.status == .succeeded)
        #expect(done.output == ["draft": "We are happy to announce the new office.", "status": "published", "note": "Approved by dana."])
    }

    @Test func loop() async throws {
        let result = try await Engine(store: InMemoryStore()).run(try load("loop.yaml"))
        #expect(result.status == .succeeded)
        #expect(result.output == ["attempts": 3, "history": ["draft 1", "draft 2", "draft 3"], "result": "Published after 3 attempts."])
    }

    @Test func subworkflow() async throws {
        let loaded = try load("subworkflow.yaml")
        #expect(loaded.subworkflows.map(\.workflow.name) == ["summarise-one"])
        let documents: JSON = [
            ["title": "Otters", "text": "Otters hold hands while they sleep."],
            ["title": "Tides", "text": "Tides are caused by the gravity of the moon and, to a lesser degree, the sun."],
        ]
        let result = try await Engine(store: InMemoryStore()).run(loaded, input: ["documents": documents])
        #expect(result.status == .succeeded, "\(result.reason ?? "")")
        #expect(result.output?["count"] == 2)
        #expect(result.output?["digest"] == "- Otters: Otters hold hands while they sleep.\n- Tides: a long read (77 characters); see the original\n")
    }

    @Test func summariseOneRunsAlone() async throws {
        let result = try await Engine(store: InMemoryStore()).run(try load("summarise-one.yaml"), input: ["title": "T", "text": "short"])
        #expect(result.output == ["title": "T", "summary": "short"])
    }
}
