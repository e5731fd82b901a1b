import BatonCore
import Foundation
import GRDB
import Testing

/// Tampering with the SQLite journal directly, as someone with write access to the file would
/// (dropping the append-only triggers first): `baton audit verify` catches every change, names the
/// first broken event and exits 1; an untouched store verifies. An export verifies with the Python
/// script in `scripts/`, and a tampered export does not.
@Suite(.serialized) struct AuditTamperTests {
    static let key = "0123456789abcdef0123456789abcdef"

    /// A store with one finished run of the hello example (about nine events); returns its id.
    static func store(_ cli: CLI) async throws -> String {
        let result = try await cli.run(["run", cli.example("hello.yaml"), "--input", #"{"names": ["Ada", "Grace"]}"#, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(result.json?["id"]?.stringValue)
    }

    /// Runs raw SQL on the store, the append-only triggers out of the way.
    static func tamper(_ cli: CLI, _ sql: String) throws {
        let queue = try DatabaseQueue(path: cli.store)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;")
            try db.execute(sql: sql)
        }
        try queue.close()
    }

    static func verify(_ cli: CLI, _ run: String) async throws -> CLI.Output {
        let result = try await cli.run(["audit", "verify", run])
        expectNoCrash(result)
        return result
    }

    @Test(arguments: [
        ("edit", "UPDATE events SET data = '{\"forged\":true}' WHERE run = '$RUN' AND seq = 3", "broken at event 3"),
        ("delete", "DELETE FROM events WHERE run = '$RUN' AND seq = 4", "broken at event 4"),
        ("insert", "UPDATE events SET seq = seq + 100 WHERE run = '$RUN' AND seq >= 5; INSERT INTO events (run, seq, time, type, data, prev_hash, hash) SELECT run, 5, time, 'step.succeeded', '{}', hash, hash FROM events WHERE run = '$RUN' AND seq = 4; UPDATE events SET seq = seq - 99 WHERE run = '$RUN' AND seq >= 105", "broken at event"),
        ("reorder", "UPDATE events SET seq = -1 WHERE run = '$RUN' AND seq = 3; UPDATE events SET seq = 3 WHERE run = '$RUN' AND seq = 4; UPDATE events SET seq = 4 WHERE run = '$RUN' AND seq = -1", "broken at event 3"),
        ("truncate", "DELETE FROM events WHERE run = '$RUN' AND seq > 5", "broken at event 6"),
    ])
    func everyChangeToTheJournalIsCaught(_ change: (name: String, sql: String, verdict: String)) async throws {
        let cli = try CLI()
        let run = try await Self.store(cli)
        let clean = try await Self.verify(cli, run)
        #expect(clean.status == 0)
        #expect(clean.stdout.contains("intact"))
        try Self.tamper(cli, change.sql.replacingOccurrences(of: "$RUN", with: run))
        let result = try await Self.verify(cli, run)
        #expect(result.status == 1, "\(change.name): \(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(change.verdict), "\(change.name): \(result.stdout)")
        let all = try await cli.run(["audit", "verify", "--all"])
        #expect(all.status == 1)
        #expect(all.stdout.contains("1 broken"))
    }

    @Test func aCutWithTheHeadRewrittenToMatchIsCaughtWithTheKey() async throws {
        let cli = try CLI()
        let environment = ["BATON_AUDIT_KEY": Self.key]
        let result = try await cli.run(["run", cli.example("hello.yaml"), "--input", #"{"names": ["Ada"]}"#, "--json"], environment: environment)
        let run = try #require(result.json?["id"]?.stringValue)
        #expect(try await cli.run(["audit", "verify", run, "--require-mac"], environment: environment).status == 0)
        // Cut the last three events and make the run row agree with what is left, as an attacker
        // without the key can.
        try Self.tamper(cli, """
            DELETE FROM events WHERE run = '\(run)' AND seq > (SELECT last_seq - 3 FROM runs WHERE id = '\(run)');
            UPDATE runs SET last_seq = last_seq - 3, last_hash = (SELECT hash FROM events WHERE run = '\(run)' ORDER BY seq DESC LIMIT 1) WHERE id = '\(run)';
            """)
        let withKey = try await cli.run(["audit", "verify", run], environment: environment)
        expectNoCrash(withKey)
        #expect(withKey.status == 1, "\(withKey.stdout)")
        #expect(withKey.stdout.contains("broken"))
    }

    @Test func aPlainChainRecomputedAfterAnEditIsCaughtWithTheKey() async throws {
        let cli = try CLI()
        let environment = ["BATON_AUDIT_KEY": Self.key]
        let result = try await cli.run(["run", cli.example("hello.yaml"), "--input", #"{"names": ["Ada"]}"#, "--json"], environment: environment)
        let run = try #require(result.json?["id"]?.stringValue)
        // Edit event 2, then recompute every plain SHA-256 link after it, as the docs say a third party can.
        let queue = try DatabaseQueue(path: cli.store)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS events_no_update")
            let rows = try Row.fetchAll(db, sql: "SELECT seq, time, type, data FROM events WHERE run = ? ORDER BY seq", arguments: [run])
            var previous = EventChain.genesis
            for row in rows {
                let seq: Int = row["seq"]
                var data = try JSON(parsing: row["data"] as String)
                if seq == 2 { data = ["forged": true] }
                let hash = EventChain.digest(run: RunID(run), seq: seq, time: row["time"], type: EventType(rawValue: row["type"]), data: data, prevHash: previous)
                try db.execute(
                    sql: "UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE run = ? AND seq = ?",
                    arguments: [data.canonicalString, previous, hash, run, seq]
                )
                previous = hash
            }
            try db.execute(sql: "UPDATE runs SET last_hash = ? WHERE id = ?", arguments: [previous, run])
        }
        try queue.close()
        let withoutKey = try await cli.run(["audit", "verify", run])
        #expect(withoutKey.status == 0, "without the key, a recomputed chain is consistent: \(withoutKey.stdout)")
        let withKey = try await cli.run(["audit", "verify", run], environment: environment)
        #expect(withKey.status == 1, "\(withKey.stdout)")
        #expect(withKey.stdout.contains("broken at event 2"))
    }

    @Test func anExportVerifiesWithThePythonScriptAndATamperedOneDoesNot() async throws {
        let cli = try CLI()
        let run = try await Self.store(cli)
        let path = cli.directory.appendingPathComponent("run.audit.jsonl").path
        let export = try await cli.run(["audit", "export", run, "--output", path])
        #expect(export.status == 0, "\(export.stderr)")
        let script = CLI.root.appendingPathComponent("scripts/verify-audit-export.py").path
        let good = try await CLI.program("python3", [script, path])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.hasPrefix("intact:"))
        #expect(try await cli.run(["audit", "verify", "--export", path]).status == 0)

        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let edited = try #require(lines.indices.dropFirst().first { lines[$0].contains("\"Ada\"") }, "an event names Ada")
        lines[edited] = lines[edited].replacingOccurrences(of: "\"Ada\"", with: "\"Eve\"")
        let tampered = cli.directory.appendingPathComponent("tampered.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: tampered, atomically: true, encoding: .utf8)
        let bad = try await CLI.program("python3", [script, tampered])
        #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stdout.hasPrefix("broken at event"))
        #expect(try await cli.run(["audit", "verify", "--export", tampered]).status == 1)

        let garbage = try cli.write("garbage.jsonl", "not json\n")
        let unreadable = try await cli.run(["audit", "verify", "--export", garbage])
        expectNoCrash(unreadable)
        #expect(unreadable.status == 2)
        #expect(unreadable.stderr.contains("line 1"))
    }

    @Test func anUnknownRunIsAClearError() async throws {
        let cli = try CLI()
        _ = try await Self.store(cli)
        let result = try await cli.run(["audit", "verify", "run_nope"])
        expectNoCrash(result)
        #expect(result.status == 2)
        #expect(result.stderr.contains("no run 'run_nope'"))
    }
}
