/// The data of an ``EventDraft`` as it was produced: a JSON object, or the typed fields of an
/// engine event, rendered to the same JSON object only when read.
enum EventPayload: Sendable {
    case json(JSON)
    case step(StepEventData)
    case effect(EffectEventData)

    var json: JSON {
        switch self {
        case let .json(data): return data
        case let .step(step): return step.json
        case let .effect(effect): return effect.json
        }
    }
}

/// The data of a `step.succeeded` event.
struct StepEventData: Sendable {
    /// The task's key, `superstep.position`.
    var step: String
    var node: String
    var attempt: Int
    /// Inside a `map`: the element's position.
    var itemIndex: Int?
    /// Milliseconds since 1970 when the step began.
    var started: Int64
    var durationMilliseconds: Int
    /// The step's state writes, recorded as one object (one node's writes name distinct keys).
    var writes: [StateWrite]
    /// For a branch node: the targets it chose.
    var routes: [String]?
    /// For a map node: how many elements it fans out to.
    var items: Int?
    /// The output, when the writes do not already carry it.
    var output: JSON?

    var json: JSON {
        var members = [String: JSON](minimumCapacity: 8)
        Self.identify(step: step, node: node, attempt: attempt, itemIndex: itemIndex, in: &members)
        members["started"] = .int(Int(started))
        members["duration_ms"] = .int(durationMilliseconds)
        if !writes.isEmpty {
            var written = [String: JSON](minimumCapacity: writes.count)
            for write in writes { written[write.key] = write.value }
            members["writes"] = .object(written)
        }
        if let routes { members["routes"] = .array(routes.map(JSON.string)) }
        if let items { members["items"] = .int(items) }
        if let output { members["output"] = output }
        return .object(members)
    }

    /// Adds the members that say which step an event of a step belongs to.
    static func identify(step: String, node: String, attempt: Int, itemIndex: Int?, in members: inout [String: JSON]) {
        members["step"] = .string(step)
        members["node"] = .string(node)
        members["attempt"] = .int(attempt)
        if let itemIndex { members["item_index"] = .int(itemIndex) }
    }
}

/// The data of the event that journals an effect's result.
struct EffectEventData: Sendable {
    var name: String
    var value: JSON
    /// `nil` for an `effect.recorded` event, whose data name the effect and hold its value;
    /// for another type, members that the data have besides the value's own (a value that is
    /// not an object is the member `value`).
    var extra: [String: JSON]?
    var step: String
    var index: Int
    var idempotencyKey: String

    var json: JSON {
        var data: [String: JSON]
        if let extra {
            data = extra
            for (member, content) in value.objectValue ?? ["value": value] { data[member] = content }
        } else {
            data = ["name": .string(name), "value": value]
        }
        data["step"] = .string(step)
        data["index"] = .int(index)
        data["idempotency_key"] = .string(idempotencyKey)
        return .object(data)
    }
}

extension EventDraft {
    /// Adds `next`, the nodes of the following superstep's `frontier`, to this `step.succeeded`
    /// event; false (and unchanged) if this is not one.
    mutating func recordNext(_ frontier: [TaskSpec]) -> Bool {
        guard type == .stepSucceeded else { return false }
        switch payload {
        case .step, .json(.object):
            next = frontier
            return true
        case .json, .effect:
            return false
        }
    }
}
