import BatonCore
import Testing

/// The store's hand-written record coding writes exactly what `Codable` writes, and reads it back.
@Suite struct RecordCodingTests {
    static let tasks = [
        TaskSpec(key: "0.0", node: "a"),
        TaskSpec(key: "1.2", node: "each", item: ["x": [1, 2.5, "🦦"]], itemIndex: 2, origin: "fan"),
    ]
    static let writes = [StateWrite(key: "log", value: ["a", nil, 1e300]), StateWrite(key: "n", value: .int(Int.min))]

    @Test func checkpointsAndTheirRecordsMatchCodable() throws {
        let checkpoint = Checkpoint(
            superstep: 3, state: ["deep": ["k": [true, nil]], "big": .int(Int.max)], frontier: Self.tasks,
            visits: ["a": 1, "each": 4], joins: ["0": ["a", "b"], "1": []], steps: 7
        )
        #expect(RecordCoding.json(checkpoint).canonicalString == (try JSON(encoding: checkpoint)).canonicalString)
        #expect(try RecordCoding.checkpoint(RecordCoding.json(checkpoint), "checkpoint") == checkpoint)
        #expect(try RecordCoding.checkpoint(JSON(encoding: checkpoint), "checkpoint") == checkpoint)

        let record = CheckpointRecord(checkpoint, writes: Self.writes, time: 1_700_000_000_123)
        #expect(RecordCoding.json(record).canonicalString == (try JSON(encoding: record)).canonicalString)
        #expect(RecordCoding.json(checkpoint, writes: Self.writes, time: 1_700_000_000_123) == RecordCoding.json(record))
        #expect(try RecordCoding.checkpointRecord(RecordCoding.json(record), "record") == record)
        #expect(try RecordCoding.json(record).decode(CheckpointRecord.self) == record)
    }

    @Test func stepResultsWaitConditionsAndParentsMatchCodable() throws {
        let results = [
            StepResult(key: "0.0", node: "a", status: .completed),
            StepResult(
                key: "2.1", node: "route", status: .waiting, output: ["why": "approval"], writes: Self.writes, routes: ["x", "y"],
                waitingFor: WaitCondition(signal: "approve", deadline: 1_800_000_000_000, child: "run_child"), attempts: 3
            ),
        ]
        for result in results {
            #expect(RecordCoding.json(result).canonicalString == (try JSON(encoding: result)).canonicalString)
            #expect(try RecordCoding.stepResult(RecordCoding.json(result), "result") == result)
            #expect(try RecordCoding.json(result).decode(StepResult.self) == result)
        }
        let conditions = [WaitCondition(), WaitCondition(signal: "go"), WaitCondition(deadline: 5), WaitCondition(child: "run_c")]
        let array = JSON.array(conditions.map(RecordCoding.json))
        #expect(array.canonicalString == (try JSON(encoding: conditions)).canonicalString)
        #expect(try RecordCoding.waitConditions(array, "waiting_for") == conditions)
        let parent = RunParent(run: "run_p", relation: .child, at: "1.0")
        #expect(RecordCoding.json(parent).canonicalString == (try JSON(encoding: parent)).canonicalString)
        #expect(try RecordCoding.runParent(RecordCoding.json(parent), "parent") == parent)
    }

    @Test func malformedRecordsAreRefusedWithTheirPath() {
        #expect(throws: RecordCoding.Failure.self) { try RecordCoding.checkpoint(["superstep": 1], "checkpoint") }
        #expect(throws: RecordCoding.Failure.self) { try RecordCoding.stepResult(["key": 1], "result") }
        #expect(throws: RecordCoding.Failure.self) { try RecordCoding.waitConditions(["signal": "x"], "waiting_for") }
        do {
            _ = try RecordCoding.checkpoint(
                ["superstep": 1, "state": [:], "frontier": [["key": "0.0"]], "visits": [:], "joins": [:], "steps": 0], "checkpoint"
            )
            Issue.record("expected a failure")
        } catch {
            #expect("\(error)".contains("checkpoint.frontier[0].node"))
        }
    }
}
