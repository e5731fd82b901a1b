/// Numbering, hashing and authenticating events, and verifying a run's chain.
///
/// `hash(n) = SHA-256(hash(n-1) ‖ "\n" ‖ canonical JSON of {data, run, seq, time, type})`, from
/// ``genesis``; with an ``AuditKey``, `mac(n)` authenticates `hash(n)` and the run's
/// ``ChainHead`` is authenticated too (`docs/audit.md`).
public enum EventChain {
    /// The `prevHash` of a run's first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// Seals drafts into events that follow `(lastSeq, lastHash)` of `run`; with `key`, each
    /// event also gets its MAC (one HMAC per event; without a key, sealing costs what it did).
    public static func seal(_ drafts: [EventDraft], run: RunID, after lastSeq: Int, lastHash: String, key: AuditKey? = nil) -> [Event] {
        sealing(drafts, run: run, after: lastSeq, lastHash: lastHash, key: key, dataText: nil)
    }

    /// ``seal(_:run:after:lastHash:key:)`` for a store that writes the events: also each one's
    /// data as canonical text, taken from what its hash was computed over instead of written again.
    package static func sealForWriting(
        _ drafts: [EventDraft], run: RunID, after lastSeq: Int, lastHash: String, key: AuditKey?
    ) -> (events: [Event], dataTexts: [String]) {
        var texts: [String] = []
        texts.reserveCapacity(drafts.count)
        let events = sealing(drafts, run: run, after: lastSeq, lastHash: lastHash, key: key) { texts.append($0) }
        return (events, texts)
    }

    private static func sealing(
        _ drafts: [EventDraft], run: RunID, after lastSeq: Int, lastHash: String, key: AuditKey?, dataText: ((String) -> Void)?
    ) -> [Event] {
        var seq = lastSeq
        var previous = lastHash
        var events: [Event] = []
        events.reserveCapacity(drafts.count)
        for draft in drafts {
            seq += 1
            let data = draft.data
            let hash = digest(run: run, seq: seq, time: draft.time, type: draft.type, data: data, prevHash: previous, dataText: dataText)
            events.append(Event(
                run: run, seq: seq, time: draft.time, type: draft.type, data: data, prevHash: previous, hash: hash, mac: key?.mac(event: hash)
            ))
            previous = hash
        }
        return events
    }

    /// The hash of one event's content chained to `prevHash`.
    public static func digest(run: RunID, seq: Int, time: Int64, type: EventType, data: JSON, prevHash: String) -> String {
        digest(run: run, seq: seq, time: time, type: type, data: data, prevHash: prevHash, dataText: nil)
    }

    /// ``digest(run:seq:time:type:data:prevHash:)``, handing `dataText` the canonical text of `data`.
    private static func digest(
        run: RunID, seq: Int, time: Int64, type: EventType, data: JSON, prevHash: String, dataText: ((String) -> Void)?
    ) -> String {
        // The canonical JSON of {data, run, seq, time, type}, written directly (keys in sorted order).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        bytes.append(contentsOf: prevHash.utf8)
        bytes.append(contentsOf: "\n{\"data\":".utf8)
        let dataStart = bytes.count
        data.write(into: &bytes)
        dataText?(String(decoding: bytes[dataStart...], as: UTF8.self))
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

    /// Verifies one run's events, in the order read: their numbers (1, 2, …), their links
    /// (each `prevHash` is the hash of the event before), their content (each hash recomputed)
    /// and, when they carry MACs, the MACs; then that the chain ends at `head`.
    ///
    /// - Parameters:
    ///   - head: the run record's head; `nil` checks the events alone (cutting off the last
    ///     events is then not detected).
    ///   - keys: the audit keys to check MACs with, the current one first, then retired ones.
    ///     Along a chain the key may only move to a newer one: an event MACed with a retired key
    ///     after one MACed with a newer key is refused, so a leaked retired key cannot extend a
    ///     run written since. Without keys, MACs are not checked, but a chain whose MACs stop
    ///     (an event, or the head, without one after an event with one) is still refused.
    /// - Returns: the first problem, or how far the intact chain is authenticated.
    public static func verify(_ events: [Event], head: ChainHead? = nil, keys: [AuditKey] = []) -> Verdict {
        var previous = genesis
        // The first event with a MAC, and how many of `keys` (newest first) may still verify one.
        var keyedFrom: Int?
        var usable = keys.count
        for (offset, event) in events.enumerated() {
            // Hashed as an event of the head's run: an event moved from another run is an edit.
            let run = head?.run ?? event.run
            let seq = offset + 1
            if event.seq != seq {
                return .broken(seq: seq, problem: event.seq > seq ? .removed(found: event.seq) : .outOfOrder(found: event.seq))
            }
            if event.prevHash != previous {
                let linked = events.firstIndex { $0.hash == event.prevHash }.map { $0 + 1 }
                return .broken(seq: seq, problem: .unlinked(linksTo: linked, at: seq))
            }
            if digest(run: run, seq: seq, time: event.time, type: event.type, data: event.data, prevHash: previous) != event.hash {
                return .broken(seq: seq, problem: .edited)
            }
            if let mac = event.mac {
                if keyedFrom == nil { keyedFrom = seq }
                if !keys.isEmpty {
                    guard let verified = keys[..<usable].firstIndex(where: { $0.authenticates(event: event.hash, mac: mac) }) else {
                        return .broken(seq: seq, problem: .macMismatch)
                    }
                    usable = verified + 1
                }
            } else if let keyedFrom {
                return .broken(seq: seq, problem: .macMissing(keyedFrom: keyedFrom))
            }
            previous = event.hash
        }
        let count = events.count
        if let head {
            if head.seq > count { return .broken(seq: count + 1, problem: .truncated(events: count, recorded: head.seq)) }
            if head.seq < count { return .broken(seq: head.seq + 1, problem: .appended(recorded: head.seq)) }
            if head.hash != previous { return .broken(seq: max(count, 1), problem: .headMismatch) }
            if head.mac != nil {
                if keyedFrom == nil { keyedFrom = count + 1 }
                if !keys.isEmpty {
                    guard let verified = keys[..<usable].firstIndex(where: { $0.authenticates(head) }) else {
                        return .broken(seq: count + 1, problem: .headMACMismatch(events: count))
                    }
                    usable = verified + 1
                }
            } else if keyedFrom != nil {
                return .broken(seq: count + 1, problem: .headMACMissing(events: count))
            }
        }
        guard let keyedFrom else { return .intact(events: count, authentication: .none) }
        if keys.isEmpty { return .intact(events: count, authentication: .unchecked(from: keyedFrom)) }
        return .intact(events: count, authentication: .verified(from: keyedFrom, key: usable - 1))
    }
}
