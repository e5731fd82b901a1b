/// A checkpoint and its history record written straight to canonical JSON text, without building
/// the ``JSON`` values ``RecordCoding`` builds: a durable step writes both, and building them
/// (a dictionary per member, per task and per visit, then sorting each) was a third of a SQLite
/// step's CPU outside the disk. The text is byte for byte ``RecordCoding``'s `canonicalString`
/// (`RecordTextTests` checks it), so either reads the other's rows.
package enum RecordText {
    /// The canonical text of `RecordCoding.json(checkpoint)`.
    package static func checkpoint(_ checkpoint: Checkpoint) -> String {
        text { out in write(checkpoint, history: nil, into: &out) }
    }

    /// The canonical text of `RecordCoding.json(checkpoint, writes: writes, time: time)`: the
    /// checkpoint's history record.
    package static func record(_ checkpoint: Checkpoint, writes: [StateWrite], time: Int64) -> String {
        text { out in write(checkpoint, history: (writes, time), into: &out) }
    }

    /// The canonical text of `RecordCoding.json(record)`.
    package static func record(_ record: CheckpointRecord) -> String {
        self.record(record.checkpointFields, writes: record.writes, time: record.time)
    }

    private static func text(_ body: (inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        body(&out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Members in canonical order: budgetScale, frontier, joins, spent, state (a checkpoint's
    /// only), steps, superstep, time (a record's only), unchangedSupersteps, visits, writes (a
    /// record's only).
    private static func write(_ checkpoint: Checkpoint, history: (writes: [StateWrite], time: Int64)?, into out: inout [UInt8]) {
        var first = true
        out.append(UInt8(ascii: "{"))
        if let scale = checkpoint.budgetScale {
            key("budgetScale", &first, &out)
            JSON.writeDouble(scale, into: &out)
        }
        key("frontier", &first, &out)
        array(checkpoint.frontier, into: &out) { task, out in write(task, into: &out) }
        key("joins", &first, &out)
        object(checkpoint.joins, into: &out) { seen, out in
            array(seen, into: &out) { node, out in JSON.writeString(node, into: &out) }
        }
        if let spent = checkpoint.spent {
            key("spent", &first, &out)
            RecordCoding.json(spent).write(into: &out)
        }
        if history == nil {
            key("state", &first, &out)
            checkpoint.state.write(into: &out)
        }
        key("steps", &first, &out)
        JSON.writeInt(checkpoint.steps, into: &out)
        key("superstep", &first, &out)
        JSON.writeInt(checkpoint.superstep, into: &out)
        if let history {
            key("time", &first, &out)
            JSON.writeInt(Int(history.time), into: &out)
        }
        if let unchanged = checkpoint.unchangedSupersteps {
            key("unchangedSupersteps", &first, &out)
            JSON.writeInt(unchanged, into: &out)
        }
        key("visits", &first, &out)
        object(checkpoint.visits, into: &out) { count, out in JSON.writeInt(count, into: &out) }
        if let history {
            key("writes", &first, &out)
            array(history.writes, into: &out) { write, out in
                var first = true
                out.append(UInt8(ascii: "{"))
                key("key", &first, &out)
                JSON.writeString(write.key, into: &out)
                key("value", &first, &out)
                write.value.write(into: &out)
                out.append(UInt8(ascii: "}"))
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A task: item, itemIndex, key, node, origin.
    private static func write(_ task: TaskSpec, into out: inout [UInt8]) {
        var first = true
        out.append(UInt8(ascii: "{"))
        if let item = task.item {
            key("item", &first, &out)
            item.write(into: &out)
        }
        if let index = task.itemIndex {
            key("itemIndex", &first, &out)
            JSON.writeInt(index, into: &out)
        }
        key("key", &first, &out)
        JSON.writeString(task.key, into: &out)
        key("node", &first, &out)
        JSON.writeString(task.node, into: &out)
        key("origin", &first, &out)
        JSON.writeString(task.origin, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Writes the separator (unless this is the object's `first` member) and a key that needs no escaping.
    private static func key(_ name: StaticString, _ first: inout Bool, _ out: inout [UInt8]) {
        if first { first = false } else { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    private static func array<Element>(_ elements: [Element], into out: inout [UInt8], _ element: (Element, inout [UInt8]) -> Void) {
        out.append(UInt8(ascii: "["))
        for (position, value) in elements.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            element(value, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// An object whose keys are data (node names, edge numbers), in canonical order.
    private static func object<Value>(_ members: [String: Value], into out: inout [UInt8], _ value: (Value, inout [UInt8]) -> Void) {
        out.append(UInt8(ascii: "{"))
        JSON.forEachSorted(members) { position, key, member in
            if position > 0 { out.append(UInt8(ascii: ",")) }
            JSON.writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            value(member, &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
