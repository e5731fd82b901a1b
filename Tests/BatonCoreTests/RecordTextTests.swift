@testable import BatonCore
import BatonTesting
import PropertyBased
import Testing

/// The checkpoint text written directly is byte for byte what `RecordCoding` builds and
/// serialises, for checkpoints with every optional member, node names that sort and escape in
/// unusual ways, and random ones.
@Suite struct RecordTextTests {
    static func expectSameText(_ checkpoint: Checkpoint, writes: [StateWrite], time: Int64, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(RecordText.checkpoint(checkpoint) == RecordCoding.json(checkpoint).canonicalString, sourceLocation: sourceLocation)
        #expect(
            RecordText.record(checkpoint, writes: writes, time: time) == RecordCoding.json(checkpoint, writes: writes, time: time).canonicalString,
            sourceLocation: sourceLocation
        )
    }

    @Test func everyMemberIsWrittenAsRecordCodingWritesIt() throws {
        let full = Checkpoint(
            superstep: 3, state: ["deep": ["k": [true, nil, 2.5]], "big": .int(Int.max), "é": "\u{1}\"\\"],
            frontier: [
                TaskSpec(key: "3.0", node: "a"),
                TaskSpec(key: "3.1", node: "each", item: ["x": [1, 2.5, "🦦"]], itemIndex: 2, origin: "fan"),
            ],
            visits: ["a": 1, "each": 4, "Z": 2, "é": 3, "a\"b": 5, "🦦": 6, "": 7], joins: ["10": ["a", "b"], "2": [], "1": ["é"]], steps: 7,
            spent: Spending(inputTokens: 10, outputTokens: 5, costUSD: 0.25, modelCalls: 1, toolCalls: 2),
            unchangedSupersteps: 2, budgetScale: 1.5
        )
        Self.expectSameText(full, writes: [StateWrite(key: "log", value: ["a", nil, 1e300]), StateWrite(key: "n", value: .int(Int.min))], time: 1_700_000_000_123)
        Self.expectSameText(Checkpoint(superstep: 0, state: [:], frontier: [], visits: [:], joins: [:], steps: 0), writes: [], time: 0)
        Self.expectSameText(Checkpoint(superstep: 1, state: .null, frontier: [], visits: ["only": 1], joins: [:], steps: 1), writes: [], time: -1)
        // More visits than the sort on the stack takes (32).
        let many = Dictionary(uniqueKeysWithValues: (0..<40).map { ("node\(($0 * 7) % 40)", $0) })
        Self.expectSameText(Checkpoint(superstep: 9, state: ["n": 1], frontier: [], visits: many, joins: [:], steps: 40), writes: [], time: 5)
        // And the text reads back as the checkpoint.
        #expect(try RecordCoding.checkpoint(JSON(parsing: RecordText.checkpoint(full)), "checkpoint") == full)
    }

    @Test func randomCheckpointsAreWrittenAsRecordCodingWritesThem() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000)) { seed in
            var random = SeededGenerator(seed: UInt64(seed))
            let names = ["a", "b", "Ä", "z", "🦦", "n1", "n10", "n2", "a b", "\"q\""]
            func name() -> String { names[Int.random(in: 0..<names.count, using: &random)] }
            func value(depth: Int) -> JSON {
                switch Int.random(in: 0..<(depth > 2 ? 5 : 7), using: &random) {
                case 0: return .null
                case 1: return .bool(Bool.random(using: &random))
                case 2: return .int(Int.random(in: -1_000_000...1_000_000, using: &random))
                case 3: return .double(Double.random(in: -1e6...1e6, using: &random))
                case 4: return .string(name())
                case 5: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in value(depth: depth + 1) })
                default: return .object(Dictionary((0..<Int.random(in: 0...3, using: &random)).map { _ in (name(), value(depth: depth + 1)) }) { $1 })
                }
            }
            let frontier = (0..<Int.random(in: 0...3, using: &random)).map { position in
                Bool.random(using: &random)
                    ? TaskSpec(key: "1.\(position)", node: name())
                    : TaskSpec(key: "1.\(position)", node: name(), item: value(depth: 1), itemIndex: position, origin: name())
            }
            let visits = Dictionary((0..<Int.random(in: 0...6, using: &random)).map { _ in (name(), Int.random(in: 1...25, using: &random)) }) { $1 }
            let joins = Dictionary((0..<Int.random(in: 0...2, using: &random)).map { _ in (String(Int.random(in: 0...12, using: &random)), [name(), name()]) }) { $1 }
            let checkpoint = Checkpoint(
                superstep: Int.random(in: 0...100, using: &random), state: value(depth: 0), frontier: frontier, visits: visits, joins: joins,
                steps: Int.random(in: 0...100, using: &random),
                spent: Bool.random(using: &random) ? Spending(inputTokens: 3, outputTokens: 4, costUSD: 0.125) : nil,
                unchangedSupersteps: Bool.random(using: &random) ? 1 : nil, budgetScale: Bool.random(using: &random) ? 2 : nil
            )
            let writes = (0..<Int.random(in: 0...3, using: &random)).map { _ in StateWrite(key: name(), value: value(depth: 1)) }
            Self.expectSameText(checkpoint, writes: writes, time: Int64(seed))
        }
    }
}
