import BatonCore
import Foundation
import GRDB
import Testing

/// The store failures a user can meet from the command line: each is one clear line, exit status
/// 2, and the store left as it was.
@Suite(.serialized) struct CLIStoreFailureTests {
    func makeStore(_ cli: CLI) async throws {
        let created = try await cli.run(["run", cli.example("hello.yaml"), "--json"])
        #expect(created.status == 0)
    }

    @Test func aStoreFromANewerBatonIsRefusedUntouched() async throws {
        let cli = try CLI()
        try await makeStore(cli)
        let queue = try DatabaseQueue(path: cli.store)
        try await queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 999") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.store))
        let result = try await cli.run(["runs", "list"])
        expectNoCrash(result)
        #expect(result.status == 2)
        #expect(result.stderr.contains("newer Baton"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store)) == before)
    }

    @Test func aStoreLockedByAnotherWriterFailsClearly() async throws {
        let cli = try CLI()
        try await makeStore(cli)
        let queue = try DatabaseQueue(path: cli.store)
        // Hold the write lock while baton tries to write (its busy timeout is 5 s), long enough
        // for a slow start of the process on a loaded machine.
        let locked = try await cli.run(["run", cli.example("hello.yaml"), "--json"], during: {
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                Thread.sleep(forTimeInterval: 12)
                try db.execute(sql: "ROLLBACK")
            }
        })
        expectNoCrash(locked)
        #expect(locked.status == 2, "\(locked.stdout) \(locked.stderr)")
        #expect(locked.stderr.contains("locked"))
        // Once the other writer lets go (it holds the lock for 12 s), the store is intact.
        var after = try await cli.run(["audit", "verify", "--all"])
        for _ in 0..<40 where after.status == 2 && after.stderr.contains("locked") {
            try await Task.sleep(for: .milliseconds(500))
            after = try await cli.run(["audit", "verify", "--all"])
        }
        #expect(after.status == 0, "\(after.stdout) \(after.stderr)")
    }

    @Test func aReadOnlyStoreIsRefused() async throws {
        let cli = try CLI()
        try await makeStore(cli)
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.store))
        let result: CLI.Output
        if getuid() == 0 {
            // Root may write any file: run baton as `nobody` against a store it may only read.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: cli.directory.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: cli.store)
            result = try await cli.run(["run", cli.example("hello.yaml")], asUser: 65534)
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: cli.store)
            result = try await cli.run(["run", cli.example("hello.yaml")])
        }
        expectNoCrash(result)
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("cannot be written"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.store)) == before)
    }

    @Test func aFailingNodeEndsTheRunFailedWithExitStatus1() async throws {
        let cli = try CLI()
        let path = try cli.write("fails.yaml", """
            baton: 1
            name: fails
            nodes:
              lookup:
                tool: search_web
                args: { q: "otters" }
            """)
        let result = try await cli.run(["run", path, "--json"])
        expectNoCrash(result)
        #expect(result.status == 1)
        #expect(result.json?["status"] == "failed")
        #expect(result.json?["reason"]?.stringValue?.contains("there is no tool named 'search_web'") == true)
    }
}
