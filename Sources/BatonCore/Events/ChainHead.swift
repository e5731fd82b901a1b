/// Where a run's chain ends, as its run record keeps it: how many events the journal has, the
/// last one's hash, and, when the store has an ``AuditKey``, a MAC over the three.
///
/// Comparing the journal's end with its head is how cutting off the last events is detected;
/// the MAC is what keeps someone without the key from rewriting the head to match.
public struct ChainHead: Sendable, Hashable, Codable {
    public var run: RunID
    /// The number of the last event (0 for an empty journal), which is also the number of events.
    public var seq: Int
    /// The last event's hash (``EventChain/genesis`` for an empty journal).
    public var hash: String
    /// ``AuditKey/mac(head:seq:hash:)`` of the three, as lowercase hex; `nil` without a key.
    public var mac: String?

    public init(run: RunID, seq: Int, hash: String, mac: String?) {
        self.run = run
        self.seq = seq
        self.hash = hash
        self.mac = mac
    }

    /// The head after event `seq` with hash `hash`, authenticated by `key` when there is one.
    public init(run: RunID, seq: Int, hash: String, authenticatedBy key: AuditKey?) {
        self.init(run: run, seq: seq, hash: hash, mac: key?.mac(head: run, seq: seq, hash: hash))
    }

    /// The head as one JSON object (`mac` only when there is one), as audit exports write it.
    public var json: JSON {
        var members: [String: JSON] = ["run": .string(run.rawValue), "seq": .int(seq), "hash": .string(hash)]
        if let mac { members["mac"] = .string(mac) }
        return .object(members)
    }
}
