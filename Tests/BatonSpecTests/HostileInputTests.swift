import BatonCore
import BatonSpec
import BatonTesting
import Foundation
import Testing

/// Input meant to crash, hang or exhaust the loader is refused with a diagnostic.
@Suite struct HostileInputTests {
    @Test func deepNestingIsRefusedByTheParser() {
        let deep = "baton: 1\nname: x\nnodes: " + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000) + "\n"
        let found = diagnostics(deep)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("Maximum nesting level") == true)
    }

    @Test func nestingBelowTheParserLimitIsRefusedInValues() {
        let depth = 900
        let yaml = "baton: 1\nname: x\nnodes:\n  a: { set: { v: { literal: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + " } } }\n"
        let found = diagnostics(yaml)
        #expect(found.contains { $0.message.contains("nested more than 128 levels") })
    }

    @Test func hugeFilesAreRefused() {
        let huge = "baton: 1\nname: x\ndescription: \"" + String(repeating: "x", count: 1 << 20) + "\"\nnodes: { a: { set: {} } }\n"
        expectDiagnostic(huge, line: 1, column: 1, path: "", "a workflow file may be at most 1048576 bytes")
    }

    @Test func aliasBombsAreRefusedBeforeParsing() {
        var bomb = "baton: 1\nname: x\nlaughs:\n  a0: &a0 [lol, lol]\n"
        for level in 1...40 { bomb += "  a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n" }
        bomb += "nodes:\n  a: { set: { v: { literal: *a40 } } }\n"
        let started = ContinuousClock.now
        expectDiagnostic(bomb, line: 5, column: 12, path: "", "anchors and aliases (&name, *name) are not supported")
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func aliasesAsKeysAreRefusedToo() {
        var bomb = "a0: &a0 [x, y]\n"
        for level in 1...30 { bomb += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n" }
        bomb += "k: { *a30 : 1 }\n"
        let found = diagnostics(bomb)
        #expect(found.first?.message.contains("not supported") == true)
    }

    @Test func anchorsAloneAndStarsInTextAreFine() throws {
        _ = try Fixtures.loader.load(yaml: "baton: 1\nname: x\ndescription: &about A claim & more\nnodes:\n  a: { set: {} }\n")
        _ = try Fixtures.loader.load(yaml: "baton: 1\nname: x\ndescription: A *bold* claim\nnodes:\n  a: { set: { t: \"*emphasis* for R&D\" } }\n")
    }

    @Test func aliasWithoutAnchorIsAYAMLError() {
        expectDiagnostic("baton: 1\nname: x\nnodes: *missing\n", line: 3, column: 8, path: "", "found undefined alias")
    }

    @Test func controlCharactersAreRefused() {
        let found = diagnostics("baton: 1\nname: x\u{0}\u{1}\u{7}\nnodes: {}\n")
        #expect(found.first?.message.contains("not readable as YAML text") == true)
        #expect(found.first?.line == 2)
    }

    @Test func binaryFilesAreRefused() throws {
        let directory = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("garbage.yaml")
        var generator = SplitMix(seed: 7)
        var bytes = Array("baton: 1\nname: x\n".utf8)
        for _ in 0..<4096 { bytes.append(UInt8(truncatingIfNeeded: generator.next())) }
        try Data(bytes).write(to: file)
        do {
            _ = try Fixtures.loader.load(file: file.path)
            Issue.record("binary garbage loaded")
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics[0].line == 3)
            #expect(error.diagnostics[0].message.contains("not UTF-8"))
        }
    }

    @Test func randomMutationsNeverCrash() {
        var loaded = 0
        for text in SplitMix.mutations(of: triageYAML, count: 300, seed: 42, alphabet: " \n\t:-[]{},#&*!|>'\"%@`?abcz019.") {
            do {
                _ = try Fixtures.loader.load(yaml: text)
                loaded += 1
            } catch {
                #expect(!error.diagnostics.isEmpty)
                #expect(error.diagnostics.allSatisfy { $0.line >= 1 && $0.column >= 1 && !$0.message.isEmpty })
            }
        }
        #expect(loaded < 300)
    }
}

/// A small deterministic generator for reproducible fuzzing.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    /// `count` copies of `text`, each with 1 to 6 characters removed, inserted (from `alphabet`)
    /// or replaced at random.
    static func mutations(of text: String, count: Int, seed: UInt64, alphabet: String) -> [String] {
        var generator = SplitMix(seed: seed)
        let source = Array(text.unicodeScalars)
        let alphabet = Array(alphabet.unicodeScalars)
        return (0..<count).map { _ in
            var mutated = source
            for _ in 0..<(1 + Int(generator.next() % 6)) {
                let position = Int(generator.next() % UInt64(mutated.count))
                switch generator.next() % 3 {
                case 0: mutated.remove(at: position)
                case 1: mutated.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                default: mutated[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: mutated)
            return text
        }
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct LargeInputTests {
    /// 800 KB, 20,000 nodes in one chain: validation must not recurse once per node.
    @Test func aLongChainLoads() async throws {
        let count = 20_000
        var yaml = "baton: 1\nname: chain\nlimits: { max_steps: 100000 }\nnodes:\n"
        for index in 0..<count { yaml += "  n\(index): { set: {} }\n" }
        yaml += "edges:\n"
        for index in 1..<count { yaml += "  - n\(index - 1) -> n\(index)\n" }
        // Seconds of work in a debug build: on a thread of its own, not the tests' shared pool.
        let text = yaml
        let loaded = try await onOwnThread { try Fixtures.loader.load(yaml: text) }
        #expect(loaded.workflow.nodes.count == count)
        #expect(loaded.workflow.edges.count == count - 1)
    }
}
