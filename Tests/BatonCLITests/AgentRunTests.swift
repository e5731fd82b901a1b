import BatonCore
import Foundation
import Testing

/// `baton run` with the agents a file declares: the support-triage example on the scripted model,
/// cassettes, and the mistakes a user makes.
@Suite struct AgentRunTests {
    static let refundTicket = #"{"ticket": {"id": "T-17", "customer": "Ada Lovelace", "text": "My order A-1001 arrived broken. I want my money back."}}"#
    static let deliveryTicket = #"{"ticket": {"id": "T-18", "customer": "Grace", "text": "Where is B-2002?"}}"#

    /// A scratch directory holding a copy of example `name` where the example expects to be run from.
    func example(_ name: String) throws -> (CLI, String) {
        let cli = try CLI()
        let target = cli.directory.appendingPathComponent("examples/\(name)")
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: cli.example(name), toPath: target.path)
        return (cli, "examples/\(name)/workflow.yaml")
    }

    func triage() throws -> (CLI, String) { try example("support-triage") }

    @Test func thePlannerExecutorExamplePlansFansOutAndReports() async throws {
        let (cli, workflow) = try example("planner-executor")
        let result = try await cli.run(["run", workflow, "--json", "--input", #"{"goal": "Compare Paris and Lyon for a weekend trip"}"#])
        expectNoCrash(result)
        #expect(result.status == 0, "\(result.stderr)")
        let steps = result.json?["output"]?["steps"]?.arrayValue ?? []
        let results = result.json?["output"]?["results"]?.arrayValue ?? []
        #expect(steps.count == 3)
        #expect(results.count == 3)
        #expect(results.first?.stringValue?.contains("TGV") == true)
        #expect(result.json?["output"]?["report"]?.stringValue?.contains("Fourvière") == true)
    }

    @Test func theSupervisorExampleRevisesUntilApproved() async throws {
        let (cli, workflow) = try example("supervisor")
        let result = try await cli.run(["run", workflow, "--json", "--input", #"{"product": "a solar lantern"}"#])
        expectNoCrash(result)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.json?["output"]?["blurb"]?.stringValue?.hasPrefix("A solar lantern that charges") == true)
        let id = try #require(result.json?["id"]?.stringValue)
        let events = try await cli.run(["runs", "show", id, "--json"])
        let reviews = events.stdout.components(separatedBy: "\"agent\":\"supervisor\"").count - 1
        #expect(reviews >= 2, "the supervisor should have reviewed twice")
    }

    @Test func theSupportTriageExampleRunsOffline() async throws {
        let (cli, workflow) = try triage()
        let refund = try await cli.run(["run", workflow, "--json", "--input", Self.refundTicket])
        expectNoCrash(refund)
        #expect(refund.status == 0, "\(refund.stderr)")
        #expect(refund.json?["output"]?["category"] == "refund")
        #expect(refund.json?["output"]?["queue"] == "urgent")
        let delivery = try await cli.run(["run", workflow, "--json", "--input", Self.deliveryTicket])
        #expect(delivery.json?["output"]?["queue"] == "delivery")
        #expect(delivery.json?["output"]?["reply"]?.stringValue?.contains("PostNL") == true)

        let id = try #require(delivery.json?["id"]?.stringValue)
        let events = try await cli.run(["runs", "show", id, "--json"])
        #expect(events.status == 0, "\(events.stderr)")
        #expect(events.stdout.contains("model.called"))
        #expect(events.stdout.contains("tool.succeeded"))
        #expect(events.stdout.contains("agent.finished"))
    }

    @Test func aRecordedCassetteReplaysWithoutTheModel() async throws {
        let (cli, workflow) = try triage()
        let cassette = cli.directory.appendingPathComponent("triage.jsonl").path
        let recorded = try await cli.run(["run", workflow, "--json", "--record", cassette, "--input", Self.deliveryTicket])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let lines = try String(contentsOfFile: cassette, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        try FileManager.default.removeItem(atPath: cli.directory.appendingPathComponent("examples/support-triage/script.yaml").path)
        let replayed = try await cli.run(["run", workflow, "--json", "--replay", cassette, "--input", Self.deliveryTicket])
        expectNoCrash(replayed)
        #expect(replayed.status == 0, "\(replayed.stderr)")
        #expect(replayed.json?["output"] == recorded.json?["output"])
        // A request the cassette does not hold fails at once, saying so.
        let other = try await cli.run(["run", workflow, "--json", "--replay", cassette, "--input", Self.refundTicket])
        expectNoCrash(other)
        #expect(other.status == 1)
        #expect(other.json?["reason"]?.stringValue?.contains("cassette") == true, "\(other.stdout)")
        // Without the script and without the cassette, the model cannot be found: a clear failure.
        let missing = try await cli.run(["run", workflow, "--json", "--input", Self.deliveryTicket])
        #expect(missing.status == 1)
        #expect(missing.json?["reason"]?.stringValue?.contains("cannot read the script file") == true)
    }

    @Test func mistakesGetOneClearErrorAndNoCrash() async throws {
        let (cli, workflow) = try triage()
        let badModel = try await cli.run(["run", workflow, "--model", "gpt4", "--input", Self.refundTicket])
        expectNoCrash(badModel)
        #expect(badModel.status == 64 || badModel.status == 2)
        #expect(badModel.stderr.contains("write PROVIDER:MODEL"))

        let badCassette = try await cli.run(["run", workflow, "--replay", "/nonexistent/cassette.jsonl", "--input", Self.refundTicket])
        expectNoCrash(badCassette)
        #expect(badCassette.status == 2)
        #expect(badCassette.stderr.contains("cannot be read"))

        let both = try await cli.run(["run", workflow, "--replay", "a", "--record", "b", "--input", Self.refundTicket])
        #expect(both.stderr.contains("cannot be used together"))

        let badPrices = try await cli.run(["run", workflow, "--prices", try cli.write("prices.yaml", "m: { input: -1 }\n"), "--input", Self.refundTicket])
        expectNoCrash(badPrices)
        #expect(badPrices.status == 2)
        #expect(badPrices.stderr.contains("needs 'input' and 'output'"))

        if ProcessInfo.processInfo.environment["ANTHROPIC_API_KEY"] == nil {
            let noKey = try await cli.run(["run", workflow, "--json", "--model", "anthropic:claude-sonnet-4-5", "--input", Self.refundTicket])
            expectNoCrash(noKey)
            #expect(noKey.status == 1)
            #expect(noKey.json?["reason"]?.stringValue?.contains("set ANTHROPIC_API_KEY") == true)
        }
    }
}
