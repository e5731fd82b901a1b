import Foundation

/// Something that happened in a run, before the store numbers and chains it.
public struct EventDraft: Sendable, Hashable {
    public var type: EventType
    public var data: JSON
    /// Milliseconds since 1970.
    public var time: Int64

    public init(_ type: EventType, _ data: JSON = .object([:]), time: Int64 = EventDraft.now()) {
        self.type = type
        self.data = data
        self.time = time
    }

    /// The current time in milliseconds since 1970.
    public static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}

/// An append-only, numbered, hash-chained record of something that happened in a run.
///
/// `hash` is SHA-256 over `prevHash` and the canonical JSON of `{data, run, seq, time, type}`, so
/// the events of a run form a chain from its first event: editing, removing or reordering any
/// event breaks every hash after it (see ``EventChain/verify(_:)``).
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

    public init(run: RunID, seq: Int, time: Int64, type: EventType, data: JSON, prevHash: String, hash: String) {
        self.run = run
        self.seq = seq
        self.time = time
        self.type = type
        self.data = data
        self.prevHash = prevHash
        self.hash = hash
    }

    /// The event's time as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(time) / 1000) }

    /// The event as one JSON object, as `--json` output and the API show it.
    public var json: JSON {
        [
            "run": .string(run.rawValue), "seq": .int(seq), "time": .int(Int(time)), "type": .string(type.rawValue),
            "data": data, "prev_hash": .string(prevHash), "hash": .string(hash),
        ]
    }
}
