/// The members a walked `init(from:)` decoded from a keyed container, in the order it decoded
/// them.
final class ObjectRecording {
    private struct Member {
        var slot: SchemaSlot
        var required: Bool
    }

    private var order: [String] = []
    private var members: [String: Member] = [:]
    /// Keys checked with `contains(_:)`: the code copes with their absence.
    private var probed: Set<String> = []
    /// Keys checked with `decodeNil(forKey:)`: the code copes with `null`.
    private var nullable: Set<String> = []
    /// The schema of members the code iterates over (`allKeys`), as a dictionary does.
    var additional: SchemaSlot?

    /// Notes that the code asked whether `key` is present.
    func probe(_ key: String) {
        probed.insert(key)
    }

    /// Notes that the code asked whether `key` is `null`.
    func admitNull(_ key: String) {
        nullable.insert(key)
    }

    /// Records that `key` is decoded with `slot`'s schema. A key decoded twice keeps its first
    /// schema, and is required if either decode requires it.
    func record(_ key: String, _ slot: SchemaSlot, required: Bool) {
        if var member = members[key] {
            member.required = member.required || required
            members[key] = member
        } else {
            order.append(key)
            members[key] = Member(slot: slot, required: required)
        }
    }

    /// An object schema that lists every recorded member, requires those decoded with `decode`
    /// and never probed, and rejects any other member unless the code iterated over its keys.
    var schema: JSON {
        var properties: [String: JSON] = [:]
        var required: [JSON] = []
        for key in order {
            guard let member = members[key] else { continue }
            properties[key] = nullable.contains(key) ? member.slot.schema.admittingNull : member.slot.schema
            if member.required, !probed.contains(key) { required.append(.string(key)) }
        }
        var schema: [String: JSON] = [
            "type": "object",
            "properties": .object(properties),
            "additionalProperties": additional?.schema ?? false,
        ]
        if !required.isEmpty { schema["required"] = .array(required) }
        return .object(schema)
    }
}
