/// The store's records as `JSON`, built and read member by member.
///
/// The text is exactly what ``JSON/init(encoding:)`` gives for these `Codable` types (same
/// member names, absent optionals left out), so either way reads the other's rows; this path
/// skips `JSONEncoder`/`JSONDecoder` and a re-parse, which made up most of a commit's CPU cost.
/// `RecordCodingTests` checks the two agree. Every store of this package (SQLite, PostgreSQL)
/// keeps its records in this form.
package enum RecordCoding {
    package struct Failure: Error, CustomStringConvertible {
        package var path: String
        package var reason: String
        package var description: String { "\(path): \(reason)" }
    }

    // MARK: Encoding

    package static func json(_ task: TaskSpec) -> JSON {
        var members: [String: JSON] = ["key": .string(task.key), "node": .string(task.node), "origin": .string(task.origin)]
        if let item = task.item { members["item"] = item }
        if let index = task.itemIndex { members["itemIndex"] = .int(index) }
        return .object(members)
    }

    package static func json(_ write: StateWrite) -> JSON {
        ["key": .string(write.key), "value": write.value]
    }

    package static func json(_ condition: WaitCondition) -> JSON {
        var members: [String: JSON] = [:]
        if let signal = condition.signal { members["signal"] = .string(signal) }
        if let deadline = condition.deadline { members["deadline"] = .int(Int(deadline)) }
        if let child = condition.child { members["child"] = .string(child.rawValue) }
        if let approval = condition.approval { members["approval"] = .string(approval) }
        return .object(members)
    }

    package static func json(_ parent: RunParent) -> JSON {
        ["run": .string(parent.run.rawValue), "relation": .string(parent.relation.rawValue), "at": .string(parent.at)]
    }

    package static func json(_ result: StepResult) -> JSON {
        var members: [String: JSON] = [
            "key": .string(result.key), "node": .string(result.node), "status": .string(result.status.rawValue), "output": result.output,
            "writes": .array(result.writes.map(json)), "attempts": .int(result.attempts),
        ]
        if let routes = result.routes { members["routes"] = .array(routes.map(JSON.string)) }
        if let waitingFor = result.waitingFor { members["waitingFor"] = json(waitingFor) }
        if let spent = result.spent { members["spent"] = json(spent) }
        if let scale = result.budgetScale { members["budgetScale"] = .double(scale) }
        return .object(members)
    }

    /// A checkpoint and, when `writes` and `time` are given, its history record, sharing the
    /// members they have in common.
    package static func json(_ checkpoint: Checkpoint) -> JSON { .object(common(checkpoint).merging(["state": checkpoint.state]) { $1 }) }

    package static func json(_ record: CheckpointRecord) -> JSON {
        json(record.checkpointFields, writes: record.writes, time: record.time)
    }

    package static func json(_ checkpoint: Checkpoint, writes: [StateWrite], time: Int64) -> JSON {
        .object(common(checkpoint).merging(["writes": .array(writes.map(json)), "time": .int(Int(time))]) { $1 })
    }

    private static func common(_ checkpoint: Checkpoint) -> [String: JSON] {
        var members: [String: JSON] = [
            "superstep": .int(checkpoint.superstep),
            "frontier": .array(checkpoint.frontier.map(json)),
            "visits": .object(checkpoint.visits.mapValues(JSON.int)),
            "joins": .object(checkpoint.joins.mapValues { .array($0.map(JSON.string)) }),
            "steps": .int(checkpoint.steps),
        ]
        if let spent = checkpoint.spent { members["spent"] = json(spent) }
        if let unchanged = checkpoint.unchangedSupersteps { members["unchangedSupersteps"] = .int(unchanged) }
        if let scale = checkpoint.budgetScale { members["budgetScale"] = .double(scale) }
        return members
    }

    /// The members `Codable` writes for a ``Spending``.
    package static func json(_ spending: Spending) -> JSON {
        [
            "inputTokens": .int(spending.inputTokens), "outputTokens": .int(spending.outputTokens), "costUSD": .double(spending.costUSD),
            "costUnknown": .bool(spending.costUnknown), "modelCalls": .int(spending.modelCalls), "toolCalls": .int(spending.toolCalls),
        ]
    }

    package static func number(_ json: JSON, _ path: String) throws -> Double {
        guard let number = json.doubleValue else { throw Failure(path: path, reason: "expected a number") }
        return number
    }

    package static func spending(_ json: JSON, _ path: String) throws -> Spending {
        let fields = try Fields(json, path)
        guard case let .bool(costUnknown)? = fields.members["costUnknown"] else { throw fields.failure("costUnknown", "expected a boolean") }
        guard let cost = fields.members["costUSD"]?.doubleValue else { throw fields.failure("costUSD", "expected a number") }
        return Spending(
            inputTokens: try fields.int("inputTokens"), outputTokens: try fields.int("outputTokens"), costUSD: cost, costUnknown: costUnknown,
            modelCalls: try fields.int("modelCalls"), toolCalls: try fields.int("toolCalls")
        )
    }

    // MARK: Decoding

    package static func taskSpec(_ json: JSON, _ path: String) throws -> TaskSpec {
        let fields = try Fields(json, path)
        return TaskSpec(
            key: try fields.string("key"), node: try fields.string("node"), item: fields.optionalJSON("item"),
            itemIndex: try fields.optionalInt("itemIndex"), origin: try fields.string("origin")
        )
    }

    package static func stateWrite(_ json: JSON, _ path: String) throws -> StateWrite {
        let fields = try Fields(json, path)
        return StateWrite(key: try fields.string("key"), value: try fields.json("value"))
    }

    package static func waitCondition(_ json: JSON, _ path: String) throws -> WaitCondition {
        let fields = try Fields(json, path)
        return WaitCondition(
            signal: try fields.optionalString("signal"), deadline: try fields.optionalInt("deadline").map(Int64.init),
            child: try fields.optionalString("child").map { RunID($0) }, approval: try fields.optionalString("approval")
        )
    }

    package static func waitConditions(_ json: JSON, _ path: String) throws -> [WaitCondition] {
        guard case let .array(elements) = json else { throw Failure(path: path, reason: "expected an array") }
        return try elements.enumerated().map { try waitCondition($1, "\(path)[\($0)]") }
    }

    package static func strings(_ json: JSON, _ path: String) throws -> [String] {
        guard case let .array(elements) = json else { throw Failure(path: path, reason: "expected an array") }
        return try elements.enumerated().map { index, element in
            guard case let .string(string) = element else { throw Failure(path: "\(path)[\(index)]", reason: "expected a string") }
            return string
        }
    }

    package static func runParent(_ json: JSON, _ path: String) throws -> RunParent {
        let fields = try Fields(json, path)
        let relation = try fields.string("relation")
        guard let kind = RunParent.Relation(rawValue: relation) else { throw Failure(path: path + ".relation", reason: "unknown relation '\(relation)'") }
        return RunParent(run: RunID(try fields.string("run")), relation: kind, at: try fields.string("at"))
    }

    package static func stepResult(_ json: JSON, _ path: String) throws -> StepResult {
        let fields = try Fields(json, path)
        let status = try fields.string("status")
        guard let kind = StepResult.Status(rawValue: status) else { throw Failure(path: path + ".status", reason: "unknown status '\(status)'") }
        return StepResult(
            key: try fields.string("key"), node: try fields.string("node"), status: kind, output: try fields.json("output"),
            writes: try fields.array("writes", stateWrite),
            routes: try fields.optionalArray("routes") { element, path in
                guard case let .string(route) = element else { throw Failure(path: path, reason: "expected a string") }
                return route
            },
            waitingFor: try fields.optionalJSON("waitingFor").map { try waitCondition($0, path + ".waitingFor") },
            attempts: try fields.int("attempts"), spent: try fields.optionalJSON("spent").map { try spending($0, path + ".spent") },
            budgetScale: try fields.optionalJSON("budgetScale").map { try number($0, path + ".budgetScale") }
        )
    }

    package static func checkpoint(_ json: JSON, _ path: String) throws -> Checkpoint {
        let fields = try Fields(json, path)
        return Checkpoint(
            superstep: try fields.int("superstep"), state: try fields.json("state"), frontier: try fields.array("frontier", taskSpec),
            visits: try fields.visits(), joins: try fields.joins(), steps: try fields.int("steps"),
            spent: try fields.optionalJSON("spent").map { try spending($0, path + ".spent") },
            unchangedSupersteps: try fields.optionalInt("unchangedSupersteps"),
            budgetScale: try fields.optionalJSON("budgetScale").map { try number($0, path + ".budgetScale") }
        )
    }

    package static func checkpointRecord(_ json: JSON, _ path: String) throws -> CheckpointRecord {
        let fields = try Fields(json, path)
        let checkpoint = Checkpoint(
            superstep: try fields.int("superstep"), state: .null, frontier: try fields.array("frontier", taskSpec),
            visits: try fields.visits(), joins: try fields.joins(), steps: try fields.int("steps")
        )
        return CheckpointRecord(checkpoint, writes: try fields.array("writes", stateWrite), time: Int64(try fields.int("time")))
    }

    /// The members of one object, read with the same strictness as a synthesized `Decodable`:
    /// required members must be there with the right type; `null` or absent is `nil` for optionals.
    private struct Fields {
        let members: [String: JSON]
        let path: String

        init(_ json: JSON, _ path: String) throws {
            guard case let .object(members) = json else { throw Failure(path: path, reason: "expected an object") }
            self.members = members
            self.path = path
        }

        func failure(_ key: String, _ reason: String) -> Failure { Failure(path: "\(path).\(key)", reason: reason) }

        func json(_ key: String) throws -> JSON {
            guard let value = members[key] else { throw failure(key, "missing") }
            return value
        }

        func optionalJSON(_ key: String) -> JSON? {
            guard let value = members[key], value != .null else { return nil }
            return value
        }

        func string(_ key: String) throws -> String {
            guard case let .string(value) = try json(key) else { throw failure(key, "expected a string") }
            return value
        }

        func optionalString(_ key: String) throws -> String? {
            guard let value = optionalJSON(key) else { return nil }
            guard case let .string(text) = value else { throw failure(key, "expected a string") }
            return text
        }

        func int(_ key: String) throws -> Int {
            guard let value = try json(key).intValue else { throw failure(key, "expected an integer") }
            return value
        }

        func optionalInt(_ key: String) throws -> Int? {
            guard let value = optionalJSON(key) else { return nil }
            guard let number = value.intValue else { throw failure(key, "expected an integer") }
            return number
        }

        func array<T>(_ key: String, _ element: (JSON, String) throws -> T) throws -> [T] {
            guard case let .array(elements) = try json(key) else { throw failure(key, "expected an array") }
            return try elements.enumerated().map { try element($1, "\(path).\(key)[\($0)]") }
        }

        func optionalArray<T>(_ key: String, _ element: (JSON, String) throws -> T) throws -> [T]? {
            guard optionalJSON(key) != nil else { return nil }
            return try array(key, element)
        }

        func visits() throws -> [String: Int] {
            guard case let .object(counts) = try json("visits") else { throw failure("visits", "expected an object") }
            return try counts.mapValues { count in
                guard let number = count.intValue else { throw failure("visits", "expected integer counts") }
                return number
            }
        }

        func joins() throws -> [String: [String]] {
            guard case let .object(progress) = try json("joins") else { throw failure("joins", "expected an object") }
            return try progress.mapValues { sources in
                guard case let .array(names) = sources else { throw failure("joins", "expected arrays of names") }
                return try names.map { name in
                    guard case let .string(text) = name else { throw failure("joins", "expected arrays of names") }
                    return text
                }
            }
        }
    }
}
