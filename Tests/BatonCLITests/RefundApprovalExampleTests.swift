import BatonCore
import Foundation
import Testing

/// The walkthrough of examples/refund-approval/README.md, step by step, on the built binary: an
/// allowed refund, a denied one, an approval, an approval with edits, a timeout, and a stricter
/// policy tried on what happened.
@Suite(.serialized) struct RefundApprovalExampleTests {
    static let example = "refund-approval/workflow.yaml"

    /// The refunds the ledger holds, in order.
    static func ledger(_ cli: CLI) throws -> [JSON] {
        let path = cli.directory.appendingPathComponent(".baton/refunds.jsonl").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try #require(try JSON(parsing: String($0))["record"]) }
    }

    /// Runs the example on `request`; returns the run's id and the request it parked on, if any.
    static func run(_ cli: CLI, _ request: String, file: String? = nil) async throws -> (run: String, approval: String?) {
        let result = try await cli.run(["run", file ?? cli.example(Self.example), "--input", JSON.object(["request": .string(request)]).canonicalString, "--json"])
        expectNoCrash(result)
        let json = try #require(result.json, "\(result.stderr)")
        let run = try #require(json["id"]?.stringValue)
        return (run, json["waiting_for"]?.arrayValue?.first?["approval"]?.stringValue)
    }

    @Test func allowedDeniedApprovedAndEdited() async throws {
        let cli = try CLI()
        // 1. Allowed.
        let small = try await Self.run(cli, "Refund A-1 please, EUR 80.")
        #expect(small.approval == nil)
        #expect(try Self.ledger(cli) == [["order": "A-1", "amount": 80]])

        // 2. Denied: the tool does not run, the model reads why.
        let huge = try await Self.run(cli, "Please refund order C-3 (EUR 5000).")
        #expect(huge.approval == nil)
        #expect(try Self.ledger(cli).count == 1)
        let events = try await cli.run(["runs", "events", huge.run, "--json"])
        #expect(events.stdout.contains("huge-refunds"))
        #expect(events.stdout.contains("refunds over 1000 are handled by people, not agents"))

        // 3. Approved by someone who holds finance (not by support).
        let medium = try await Self.run(cli, "Please refund order B-2 (EUR 250), it arrived broken.")
        let request = try #require(medium.approval)
        #expect(try Self.ledger(cli).count == 1, "nothing is refunded while the request waits")
        let list = try await cli.run(["approvals", "list"])
        #expect(list.stdout.contains("call the tool 'issue_refund': refunds over 100 need the approval of finance"))
        #expect(list.stdout.contains(#"{"amount":250,"order":"B-2"}"#))
        let sam = try await cli.run(["approve", request, "--as", "sam"])
        #expect(sam.status == 2)
        #expect(sam.stderr.contains("held by dana"))
        let dana = try await cli.run(["approve", request, "--as", "dana", "--comment", "damaged in transit"])
        #expect(dana.status == 0, "\(dana.stderr)")
        #expect(try Self.ledger(cli).last == ["order": "B-2", "amount": 250])

        // 4. Approved with edited arguments.
        let edited = try await Self.run(cli, "Please refund order B-2 (EUR 250), it arrived broken.")
        let second = try #require(edited.approval)
        let approved = try await cli.run(["approve", second, "--as", "dana", "--edit", #"{"order": "B-2", "amount": 200}"#])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(try Self.ledger(cli).last == ["order": "B-2", "amount": 200])
        #expect(try Self.ledger(cli).count == 3)

        // 6. A stricter policy, tried on what happened: the two refunds that went straight through would change.
        let stricter = try cli.write("stricter.yaml", """
            baton: 1
            policy: stricter
            rules:
              - { id: any-refund, action: { tool: issue_refund }, decision: { require_approval: { role: finance } } }
            """)
        let dryRun = try await cli.run(["policy", "test", stricter, "--all"])
        expectNoCrash(dryRun)
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.contains(#"tool issue_refund (agent refunder) {"amount":80,"order":"A-1"}: allow -> require_approval by rule 'any-refund'"#))
        #expect(dryRun.stdout.contains("deny -> require_approval"), "the denied refund would now ask instead")
        #expect(!dryRun.stdout.contains("require_approval -> require_approval"))
        let failing = try await cli.run(["policy", "test", stricter, "--all", "--fail-on-change"])
        #expect(failing.status == 1)
        let check = try await cli.run(["policy", "check", stricter], withStore: false)
        #expect(check.stdout.contains("valid policy 'stricter': 1 rules"))

        let verify = try await cli.run(["audit", "verify", "--all"])
        #expect(verify.status == 0)
    }

    @Test func anUndecidedRequestExpiresAndIsRejectedWhenTheRunResumes() async throws {
        let cli = try CLI()
        let source = try String(contentsOfFile: cli.example(Self.example), encoding: .utf8).replacingOccurrences(of: "timeout: 10m", with: "timeout: 1s")
        let quick = try cli.write("refund-quick.yaml", source)
        _ = try cli.write("script.yaml", try String(contentsOfFile: cli.example("refund-approval/script.yaml"), encoding: .utf8))
        let parked = try await Self.run(cli, "Please refund order B-2 (EUR 250).", file: quick)
        let request = try #require(parked.approval)
        try await Task.sleep(for: .milliseconds(1500))
        let late = try await cli.run(["approve", request, "--as", "dana"])
        #expect(late.status == 2)
        #expect(late.stderr.contains("expired before it was decided"))
        let resumed = try await cli.run(["resume", parked.run, "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Self.ledger(cli).isEmpty)
        let expired = try await cli.run(["approvals", "list", "--status", "expired", "--json"])
        #expect(expired.json?.arrayValue?.first?["id"]?.stringValue == request)
        let events = try await cli.run(["runs", "events", parked.run, "--json"])
        #expect(events.stdout.contains("no one approved it before its deadline"))
    }

    @Test func aBrokenPolicyFileIsRefusedWithItsLine() async throws {
        let cli = try CLI()
        let broken = try cli.write("broken.yaml", "baton: 1\npolicy: p\nrules:\n  - { id: r, action: { tool: x }, decison: deny }\n")
        let check = try await cli.run(["policy", "check", broken], withStore: false)
        expectNoCrash(check)
        #expect(check.status == 2)
        #expect(check.stderr.contains("broken.yaml:4:"))
        #expect(check.stderr.contains("did you mean 'decision'"))
        let test = try await cli.run(["policy", "test", broken, "--all"])
        #expect(test.status == 2)
        let none = try await cli.run(["policy", "test", broken])
        #expect(none.status != 0)
        #expect(none.stderr.contains("name the runs"))

        let shadowing = try cli.write("shadowing.yaml", """
            baton: 1
            name: shadowing
            policies:
              - policy: p
                rules:
                  - { id: all-tools, action: { tool: "*" }, decision: allow }
                  - { id: no-email, action: { tool: send_email }, decision: deny }
            nodes:
              a: { set: { x: 1 } }
            """)
        let validate = try await cli.run(["validate", shadowing], withStore: false)
        #expect(validate.status == 0, "overlapping rules are warnings")
        #expect(validate.stdout.contains("warning: rule 'no-email' of policy 'p'"))
        #expect(validate.stdout.contains("can never decide"))
    }
}
