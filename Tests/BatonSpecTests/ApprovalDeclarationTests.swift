import BatonCore
import BatonSpec
import Foundation
import Testing

/// `approval` nodes and the `roles:` section in YAML.
@Suite struct ApprovalDeclarationTests {
    static let document = """
        baton: 1
        name: refund
        roles:
          dana: [finance, ops]
          lee: finance
        nodes:
          review:
            approval:
              role: finance
              action: "refund {{input.amount}} to {{input.customer}}"
              reason: refunds over 100 need finance
              risk: high
              arguments: { amount: { copy: input.amount } }
              timeout: 24h
              on_timeout: approve
            into: review
        """

    @Test func anApprovalNodeAndTheRolesLoad() throws {
        let loaded = try Fixtures.loader.load(yaml: Self.document)
        #expect(loaded.roles == Roles(["dana": ["finance", "ops"], "lee": ["finance"]]))
        let node = try #require(loaded.workflow.node("review"))
        guard case let .approval(spec) = node.kind else {
            Issue.record("expected an approval node, found \(node.kind.name)")
            return
        }
        #expect(spec.role == "finance")
        #expect(spec.action.source == "refund {{input.amount}} to {{input.customer}}")
        #expect(spec.reason?.source == "refunds over 100 need finance")
        #expect(spec.risk == .high)
        #expect(spec.timeout == .seconds(86_400))
        #expect(spec.onTimeout == .approve)
        #expect(node.into == "review")
    }

    @Test func theYAMLRunsLikeTheSwiftWorkflow() async throws {
        let loaded = try Fixtures.loader.load(yaml: Self.document)
        let engine = Engine(store: InMemoryStore())
        let parked = try await engine.run(loaded.workflow, input: ["amount": 120, "customer": "c-1"])
        #expect(parked.status == .waiting)
        let request = try #require(try await engine.approvals().first).request
        #expect(request.action == "refund 120 to c-1")
        #expect(request.arguments == ["amount": 120])
        let done = try await engine.decide(approval: request.id, approve: true, as: "lee", roles: loaded.roles)
        #expect(done.output?["review"]?["approved"] == true)
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        let header = "baton: 1\nname: t\n"
        expectDiagnostic(header + "nodes:\n  a:\n    approval: { action: x }\n", line: 5, column: 15, path: "nodes.a.approval", "missing required key 'role'")
        expectDiagnostic(header + "nodes:\n  a:\n    approval: { role: finance }\n", line: 5, column: 15, path: "nodes.a.approval", "missing required key 'action'")
        expectDiagnostic(header + "nodes:\n  a:\n    approval: { role: finance, action: x, risk: extreme }\n", line: 5, column: 49, path: "nodes.a.approval.risk", "expected low, medium or high")
        expectDiagnostic(
            header + "nodes:\n  a:\n    approval: { role: finance, action: x, on_timeout: allow }\n", line: 5, column: 55, path: "nodes.a.approval.on_timeout",
            "expected reject or approve"
        )
        expectDiagnostic(header + "nodes:\n  a:\n    approval: { role: finance, action: x, timeout: soon }\n", line: 5, column: 52, path: "nodes.a.approval.timeout", "expected a duration")
        expectDiagnostic(header + "nodes:\n  a:\n    approval: { role: finance, action: x, who: dana }\n", line: 5, column: 43, path: "nodes.a.approval.who", "unknown key 'who'")
        expectDiagnostic(header + "nodes:\n  a:\n    approval: { role: \"fin ance\", action: x }\n", line: 5, column: 23, path: "nodes.a.approval.role", "expected a role name")
        expectDiagnostic(header + "roles:\n  dana: { finance: true }\nnodes:\n  a: { set: { x: 1 } }\n", line: 4, column: 9, path: "roles.dana", "role name")
        expectDiagnostic(header + "roles: [dana]\nnodes:\n  a: { set: { x: 1 } }\n", line: 3, column: 8, path: "roles", "a mapping of users to their roles")
    }

    @Test func aRolesFileIsReadWithItsMistakesLocated() throws {
        let directory = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("roles.yaml")
        try "roles:\n  dana: [finance]\n  sam: support\n".write(to: good, atomically: true, encoding: .utf8)
        #expect(try WorkflowLoader.roles(file: good.path) == Roles(["dana": ["finance"], "sam": ["support"]]))

        let bad = directory.appendingPathComponent("bad.yaml")
        try "people:\n  dana: [finance]\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: SpecError.self) { try WorkflowLoader.roles(file: bad.path) }
        do {
            _ = try WorkflowLoader.roles(file: bad.path)
        } catch {
            #expect(error.description.contains("missing the roles: section"))
        }
        #expect(throws: SpecError.self) { try WorkflowLoader.roles(file: directory.appendingPathComponent("absent.yaml").path) }
    }
}
