import BatonCore
import Foundation
import Testing

/// `baton approvals list`, `baton approve` and `baton reject`, on the built binary.
@Suite(.serialized) struct ApprovalCommandTests {
    static let workflow = """
        baton: 1
        name: refund
        roles:
          dana: [finance]
          sam: support
        nodes:
          review:
            approval:
              role: finance
              action: "refund {{input.amount}} to {{input.customer}}"
              reason: refunds over 100 need finance
              risk: high
              arguments: { amount: { copy: input.amount }, customer: { copy: input.customer } }
              timeout: 1h
            into: review
          pay:
            set:
              paid: "{{state.review.arguments.amount}}"
        edges:
          - review -> pay
        """

    /// Starts a run that parks on its approval; returns the request's id.
    static func parkedRequest(_ cli: CLI, _ path: String) async throws -> String {
        let parked = try await cli.run(["run", path, "--input", #"{"amount": 250, "customer": "c-17"}"#])
        expectNoCrash(parked)
        #expect(parked.status == 3, "a parked run exits 3: \(parked.stderr)")
        #expect(parked.stdout.contains("baton approve "))
        let list = try await cli.run(["approvals", "list", "--json"])
        #expect(list.status == 0)
        return try #require(list.json?.arrayValue?.first?["id"]?.stringValue)
    }

    @Test func aRequestIsListedAndApprovedWithEditsBySomeoneWhoHoldsTheRole() async throws {
        let cli = try CLI()
        let path = try cli.write("refund.yaml", Self.workflow)
        let id = try await Self.parkedRequest(cli, path)

        let listed = try await cli.run(["approvals", "list"])
        #expect(listed.stdout.contains("pending  role finance  risk high"))
        #expect(listed.stdout.contains("refund 250 to c-17: refunds over 100 need finance"))

        let wrongRole = try await cli.run(["approve", id, "--as", "sam"])
        expectNoCrash(wrongRole)
        #expect(wrongRole.status == 2)
        #expect(wrongRole.stderr.contains("sam may not decide"))
        #expect(wrongRole.stderr.contains("held by dana"))

        let badEdit = try await cli.run(["approve", id, "--as", "dana", "--edit", "[1]"])
        #expect(badEdit.status == 2)
        #expect(badEdit.stderr.contains("must be a JSON object"))
        let notJSON = try await cli.run(["approve", id, "--as", "dana", "--edit", "{amount"])
        #expect(notJSON.status == 2)
        #expect(notJSON.stderr.contains("--edit is not valid JSON"))

        let approved = try await cli.run(["approve", id, "--as", "dana", "--comment", "less", "--edit", #"{"amount": 200, "customer": "c-17"}"#, "--json"])
        expectNoCrash(approved)
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.json?["status"] == "succeeded")
        #expect(approved.json?["output"]?["paid"] == "200")

        let twice = try await cli.run(["reject", id, "--as", "dana", "--reason", "changed my mind"])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("already decided (approved by dana)"))
        let all = try await cli.run(["approvals", "list", "--status", "approved"])
        #expect(all.stdout.contains("approved by dana"))
        let verify = try await cli.run(["audit", "verify", "--all"])
        #expect(verify.status == 0)
    }

    @Test func aRejectionNeedsAReasonAndEndsTheActionNotTheRun() async throws {
        let cli = try CLI()
        let path = try cli.write("refund.yaml", Self.workflow)
        let id = try await Self.parkedRequest(cli, path)
        let noReason = try await cli.run(["reject", id, "--as", "dana", "--reason", " "])
        expectNoCrash(noReason)
        #expect(noReason.status != 0)
        #expect(noReason.stderr.contains("--reason must say why"))

        let rejected = try await cli.run(["reject", id, "--as", "dana", "--reason", "duplicate", "--json"])
        #expect(rejected.status == 0, "\(rejected.stderr)")
        #expect(rejected.json?["output"]?["review"]?["approved"] == false)
        #expect(rejected.json?["output"]?["review"]?["comment"] == "duplicate")
    }

    @Test func unknownRequestsAndRolesFilesAreClearErrors() async throws {
        let cli = try CLI()
        let unknown = try await cli.run(["approve", "run_nope/0.0/approval", "--as", "dana"])
        expectNoCrash(unknown)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no approval request 'run_nope/0.0/approval'"))

        let path = try cli.write("refund.yaml", Self.workflow)
        let id = try await Self.parkedRequest(cli, path)
        let roles = try cli.write("roles.yaml", "roles:\n  lee: [finance]\n")
        let withFile = try await cli.run(["approve", id, "--as", "lee", "--roles", roles])
        #expect(withFile.status == 0, "a user the --roles file gives the role may decide: \(withFile.stderr)")

        let broken = try cli.write("broken.yaml", "roles:\n  lee: { finance: 1 }\n")
        let id2 = try await Self.parkedRequest(cli, path)
        let bad = try await cli.run(["approve", id2, "--as", "lee", "--roles", broken])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("broken.yaml:2:"))
        let badStatus = try await cli.run(["approvals", "list", "--status", "done"])
        #expect(badStatus.status != 0)
        #expect(badStatus.stderr.contains("--status must be"))
    }
}
