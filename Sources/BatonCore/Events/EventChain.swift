/// Numbering and hashing of events, and verification of a run's chain.
public enum EventChain {
    /// The `prevHash` of a run's first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// Seals drafts into events that follow `(lastSeq, lastHash)` of `run`.
    public static func seal(_ drafts: [EventDraft], run: RunID, after lastSeq: Int, lastHash: String) -> [Event] {
        var seq = lastSeq
        var previous = lastHash
        var events: [Event] = []
        events.reserveCapacity(drafts.count)
        for draft in drafts {
            seq += 1
            let data = draft.data
            let hash = digest(run: run, seq: seq, time: draft.time, type: draft.type, data: data, prevHash: previous)
            events.append(Event(run: run, seq: seq, time: draft.time, type: draft.type, data: data, prevHash: previous, hash: hash))
            previous = hash
        }
        return events
    }

    /// The hash of one event's content chained to `prevHash`.
    public static func digest(run: RunID, seq: Int, time: Int64, type: EventType, data: JSON, prevHash: String) -> String {
        // The canonical JSON of {data, run, seq, time, type}, written directly (keys in sorted order).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        bytes.append(contentsOf: prevHash.utf8)
        bytes.append(contentsOf: "\n{\"data\":".utf8)
        data.write(into: &bytes)
        bytes.append(contentsOf: ",\"run\":".utf8)
        JSON.writeString(run.rawValue, into: &bytes)
        bytes.append(contentsOf: ",\"seq\":".utf8)
        JSON.writeInt(seq, into: &bytes)
        bytes.append(contentsOf: ",\"time\":".utf8)
        JSON.writeInt(Int(time), into: &bytes)
        bytes.append(contentsOf: ",\"type\":".utf8)
        JSON.writeString(type.rawValue, into: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return Hash.sha256Hex(bytes)
    }

    /// What verification found.
    public enum Verdict: Sendable, Equatable, CustomStringConvertible {
        case intact(events: Int)
        /// The first event that does not follow from the ones before it, and why.
        case broken(seq: Int, reason: String)

        public var description: String {
            switch self {
            case let .intact(count): return "intact: \(count) events, every hash verified"
            case let .broken(seq, reason): return "broken at event \(seq): \(reason)"
            }
        }
    }

    /// Recomputes every hash of one run's events (in order) and checks numbering and links.
    public static func verify(_ events: [Event]) -> Verdict {
        var previous = genesis
        for (offset, event) in events.enumerated() {
            let expectedSeq = offset + 1
            if event.seq != expectedSeq {
                return .broken(seq: expectedSeq, reason: "expected event number \(expectedSeq), found \(event.seq) (an event was removed or reordered)")
            }
            if event.prevHash != previous {
                return .broken(seq: event.seq, reason: "prevHash does not match the previous event's hash")
            }
            let recomputed = digest(run: event.run, seq: event.seq, time: event.time, type: event.type, data: event.data, prevHash: event.prevHash)
            if recomputed != event.hash {
                return .broken(seq: event.seq, reason: "content does not match its hash (the event was edited)")
            }
            previous = event.hash
        }
        return .intact(events: events.count)
    }
}
