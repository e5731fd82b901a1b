import Foundation

/// Something that happened in a run, before the store numbers and chains it.
public struct EventDraft: Sendable, Hashable {
    public var type: EventType
    /// The event's data. The engine keeps its own events' data typed and renders this object
    /// when it is read (by a store when it writes or hashes the event), so that events no one
    /// reads cost no dictionaries.
    public var data: JSON {
        get {
            guard let next, case var .object(members) = payload.json else { return payload.json }
            members["next"] = .array(next.map { .string($0.node) })
            return .object(members)
        }
        set {
            payload = .json(newValue)
            next = nil
        }
    }
    /// Milliseconds since 1970.
    public var time: Int64
    var payload: EventPayload
    /// In a superstep of one step, the tasks of the next superstep, whose nodes are the member
    /// `next` of a `step.succeeded` event's data: kept apart, and as the next checkpoint's own
    /// frontier, so that adding it copies and allocates nothing.
    var next: [TaskSpec]?

    public init(_ type: EventType, _ data: JSON = .object([:]), time: Int64 = EventDraft.now()) {
        self.init(type, payload: .json(data), time: time)
    }

    init(_ type: EventType, payload: EventPayload, time: Int64) {
        self.type = type
        self.payload = payload
        self.time = time
    }

    /// The current time in milliseconds since 1970 (read from the system's real-time clock
    /// directly: a step reads it several times, and `Date` costs several times as much).
    public static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + (Int64(time.tv_nsec) + 500_000) / 1_000_000
    }

    /// Drafts are equal when their types, times and data are, however their data are kept.
    public static func == (lhs: EventDraft, rhs: EventDraft) -> Bool {
        lhs.type == rhs.type && lhs.time == rhs.time && lhs.data == rhs.data
    }

    /// Hashes what ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(data)
        hasher.combine(time)
    }
}

/// An append-only, numbered, hash-chained record of something that happened in a run.
///
/// `hash` is SHA-256 over `prevHash` and the canonical JSON of `{data, run, seq, time, type}`, so
/// the events of a run form a chain from its first event: editing, removing or reordering any
/// event breaks every hash after it (see ``EventChain/verify(_:head:keys:)``). A store given an
/// ``AuditKey`` also authenticates each event: `mac` is an HMAC of its hash under that key.
public struct Event: Sendable, Hashable, Codable {
    public var run: RunID
    /// 1-based position in the run's journal.
    public var seq: Int
    /// Milliseconds since 1970.
    public var time: Int64
    public var type: EventType
    public var data: JSON
    public var prevHash: String
    public var hash: String
    /// HMAC-SHA256 of `hash` under the store's ``AuditKey`` (see ``AuditKey/mac(event:)``), as
    /// lowercase hex; `nil` for an event written without a key.
    public var mac: String?

    public init(run: RunID, seq: Int, time: Int64, type: EventType, data: JSON, prevHash: String, hash: String, mac: String? = nil) {
        self.run = run
        self.seq = seq
        self.time = time
        self.type = type
        self.data = data
        self.prevHash = prevHash
        self.hash = hash
        self.mac = mac
    }

    /// The event's time as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(time) / 1000) }

    /// The event as one JSON object, as `--json` output, the API and audit exports show it
    /// (`mac` only when the event has one).
    public var json: JSON {
        var members: [String: JSON] = [
            "run": .string(run.rawValue), "seq": .int(seq), "time": .int(Int(time)), "type": .string(type.rawValue),
            "data": data, "prev_hash": .string(prevHash), "hash": .string(hash),
        ]
        if let mac { members["mac"] = .string(mac) }
        return .object(members)
    }
}
