import BatonCore
import Foundation
import Testing

@Suite(.serialized) struct CLITests {
    @Test func runsTheHelloExampleAndPrintsJSON() async throws {
        let cli = try CLI()
        let result = try await cli.run(["run", cli.example("hello.yaml"), "--input", #"{"names": ["Ada", "Grace", "Linus", "Barbara"]}"#, "--json"])
        expectNoCrash(result)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(result.json)
        #expect(json["status"] == "succeeded")
        #expect(json["output"]?["greetings"]?.arrayValue?.count == 4)
        #expect(json["id"]?.stringValue?.hasPrefix("run_") == true)

        let list = try await cli.run(["runs", "list", "--json"])
        #expect(list.status == 0)
        #expect(list.json?.arrayValue?.first?["id"] == json["id"])

        let show = try await cli.run(["runs", "show", json["id"]?.stringValue ?? ""])
        #expect(show.status == 0)
        #expect(show.stdout.contains("superstep 0"))
        #expect(show.stdout.contains("greet"))

        let verify = try await cli.run(["audit", "verify", "--all"])
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("intact"))
    }

    @Test func aRunsTagsAreKeptAndShownAndABadTagIsRefused() async throws {
        let cli = try CLI()
        let result = try await cli.run(["run", cli.example("hello.yaml"), "--input", #"{"names": ["Ada"]}"#, "--tag", "eu", "--tag", "customer:acme", "--tag", "eu", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let list = try await cli.run(["runs", "list", "--json"])
        #expect(list.json?.arrayValue?.first?["tags"] == ["eu", "customer:acme"])
        let show = try await cli.run(["runs", "show", result.json?["id"]?.stringValue ?? ""])
        #expect(show.stdout.contains("tags: eu, customer:acme"))

        let bad = try await cli.run(["run", cli.example("hello.yaml"), "--input", #"{"names": ["Ada"]}"#, "--tag", "two words"])
        expectNoCrash(bad)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--tag 'two words'"))
    }

    @Test func validateReportsGoodAndBadFiles() async throws {
        let cli = try CLI()
        let good = try await cli.run(["validate", cli.example("hello.yaml")], withStore: false)
        #expect(good.status == 0)
        #expect(good.stdout.contains("valid workflow 'hello'"))

        let path = try cli.write("bad.yaml", """
            baton: 1
            name: bad
            nodes:
              a: { set: { x: 1 } }
            edges:
              - a -> nowhere
            """)
        let bad = try await cli.run(["validate", path], withStore: false)
        expectNoCrash(bad)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bad.yaml:6:"))
        #expect(bad.stderr.contains("nowhere"))
    }

    @Test func badInputGetsOneClearErrorAndExitStatus2() async throws {
        let cli = try CLI()
        let missing = try await cli.run(["run", "no-such-file.yaml"])
        expectNoCrash(missing)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("error: "))

        let malformed = try cli.write("malformed.yaml", "baton: 1\nname: [unclosed\n")
        let yaml = try await cli.run(["run", malformed])
        expectNoCrash(yaml)
        #expect(yaml.status == 2)
        #expect(yaml.stderr.contains("malformed.yaml:"))

        let input = try await cli.run(["run", cli.example("hello.yaml"), "--input", #"{"names": [1,}"#])
        expectNoCrash(input)
        #expect(input.status == 2)
        #expect(input.stderr.contains("--input is not valid JSON"))
        #expect(input.stderr.contains("column"))

        let unknownRun = try await cli.run(["resume", "run_does_not_exist"])
        #expect(unknownRun.status == 2)
        #expect(unknownRun.stderr.contains("no run 'run_does_not_exist'"))

        let wrongInput = try await cli.run(["run", cli.example("hello.yaml"), "--input", #"{"names": "not a list"}"#])
        expectNoCrash(wrongInput)
        #expect(wrongInput.status == 2)
        #expect(wrongInput.stderr.contains("invalid input"))
    }

    @Test func aDamagedOrNewerStoreIsRefusedAndLeftAsItWas() async throws {
        let cli = try CLI()
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: cli.store))
        let result = try await cli.run(["runs", "list"])
        expectNoCrash(result)
        #expect(result.status == 2)
        #expect(result.stderr.contains("damaged or is not a Baton store"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store)) == garbage)

        let directoryStore = try CLI()
        try FileManager.default.createDirectory(atPath: directoryStore.store, withIntermediateDirectories: true)
        let onDirectory = try await directoryStore.run(["runs", "list"])
        expectNoCrash(onDirectory)
        #expect(onDirectory.status == 2)
    }

    @Test func aWaitingRunContinuesWithASignalFromAnotherProcess() async throws {
        let cli = try CLI()
        let parked = try await cli.run(["run", cli.example("approval.yaml"), "--input", #"{"topic": "the new office"}"#, "--json"])
        #expect(parked.status == 3, "\(parked.stdout) \(parked.stderr)")
        let id = try #require(parked.json?["id"]?.stringValue)
        #expect(parked.json?["status"] == "waiting")

        let waiting = try await cli.run(["runs", "list", "--status", "waiting", "--json"])
        #expect(waiting.json?.arrayValue?.contains { $0["id"]?.stringValue == id } == true)

        let signalName = try #require(parked.json?["waiting_for"]?.arrayValue?.first?["signal"]?.stringValue)
        let done = try await cli.run(["signal", id, signalName, "--payload", #"{"approved": true, "by": "ada"}"#, "--json"])
        #expect(done.status == 0, "\(done.stdout) \(done.stderr)")
        #expect(done.json?["status"] == "succeeded")

        // --follow stops by itself once the run has parked or finished.
        let followed = try await cli.run(["runs", "events", id, "--follow"])
        #expect(followed.status == 0)
        #expect(followed.stdout.contains("run waiting") || followed.stdout.contains("run succeeded"))

        let events = try await cli.run(["runs", "events", id, "--json"])
        let lines = events.stdout.split(separator: "\n").compactMap { try? JSON(parsing: String($0)) }
        #expect(lines.contains { $0["type"] == "signal.received" })
        #expect(lines.last?["type"] == "run.succeeded")
    }

    @Test func cancellingAWaitingRunEndsIt() async throws {
        let cli = try CLI()
        let parked = try await cli.run(["run", cli.example("approval.yaml"), "--input", #"{"topic": "the new office"}"#, "--json"])
        let id = try #require(parked.json?["id"]?.stringValue)
        let cancel = try await cli.run(["cancel", id, "--reason", "not needed"])
        #expect(cancel.status == 0)
        #expect(cancel.stdout.contains("cancelled"))
        let resume = try await cli.run(["resume", id, "--json"])
        #expect(resume.status == 4)
        #expect(resume.json?["status"] == "cancelled")
    }

    @Test func forkStartsANewRunFromACheckpoint() async throws {
        let cli = try CLI()
        let original = try await cli.run(["run", cli.example("hello.yaml"), "--json"])
        let id = try #require(original.json?["id"]?.stringValue)
        let fork = try await cli.run(["fork", id, "--at", "1", "--set", #"names=["Zed"]"#, "--json"])
        #expect(fork.status == 0, "\(fork.stderr)")
        #expect(fork.json?["status"] == "succeeded")
        #expect(fork.json?["id"] != original.json?["id"])

        let badEdit = try await cli.run(["fork", id, "--at", "1", "--set", "novalue"])
        #expect(badEdit.status != 0)
        #expect(badEdit.stderr.contains("PATH=VALUE"))
        let badCheckpoint = try await cli.run(["fork", id, "--at", "99"])
        #expect(badCheckpoint.status == 2)
        #expect(badCheckpoint.stderr.contains("checkpoints 0 to"))
    }

    @Test func everyCommandsHelpHasAnExample() async throws {
        let cli = try CLI()
        for command in [["run"], ["resume"], ["runs", "list"], ["runs", "show"], ["runs", "events"], ["fork"], ["cancel"], ["signal"], ["validate"], ["audit", "verify"]] {
            let help = try await cli.run(command + ["--help"], withStore: false)
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example"), "\(command) --help has no example")
        }
    }
}
