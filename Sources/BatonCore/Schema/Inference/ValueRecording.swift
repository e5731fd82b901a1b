/// What a walked `init(from:)` asked of one position of the JSON: an object's members, an
/// array's elements, or a single value of some type. The inference containers fill it in;
/// ``schema`` turns it into a schema once the walk is over.
final class ValueRecording {
    private enum Shape {
        case object(ObjectRecording)
        case array(ArrayRecording)
        case value(JSON)
    }

    /// The first kind of container the walked code asked for. Later requests for another kind
    /// get a detached recording: a JSON value has one shape.
    private var shape: Shape?
    /// The walked code asked whether the value is `null` (`decodeNil()`).
    var admitsNull = false

    /// The members recorded here, when the walked code asked for a keyed container.
    func object() -> ObjectRecording {
        switch shape {
        case let .object(recording): return recording
        case nil:
            let recording = ObjectRecording()
            shape = .object(recording)
            return recording
        case .array, .value: return ObjectRecording()
        }
    }

    /// The elements recorded here, when the walked code asked for an unkeyed container.
    func array() -> ArrayRecording {
        switch shape {
        case let .array(recording): return recording
        case nil:
            let recording = ArrayRecording()
            shape = .array(recording)
            return recording
        case .object, .value: return ArrayRecording()
        }
    }

    /// Records that the value is decoded as a value with `schema`; the first such record wins.
    func recordValue(_ schema: JSON) {
        if shape == nil { shape = .value(schema) }
    }

    /// The schema of what was recorded. Code that read nothing (a struct without stored
    /// properties) accepts anything and is encoded as `{}`: an object without members.
    var schema: JSON {
        let schema: JSON
        switch shape {
        case let .object(recording): schema = recording.schema
        case let .array(recording): schema = recording.schema
        case let .value(value): schema = value
        case nil: schema = ObjectRecording().schema
        }
        return admitsNull ? schema.admittingNull : schema
    }
}

/// A schema known at once, or one recorded by a nested container that is complete only when the
/// walk is over.
enum SchemaSlot {
    case known(JSON)
    case recorded(ValueRecording)

    var schema: JSON {
        switch self {
        case let .known(schema): return schema
        case let .recorded(recording): return recording.schema
        }
    }
}
