import Crypto

/// The secret that authenticates a journal, so that someone who can write to the store but does
/// not hold the key cannot rebuild a valid chain after changing it.
///
/// A store given a key adds to every event it seals an HMAC-SHA256 of the event's hash
/// (``mac(event:)``) and keeps beside the run's head an HMAC of the run, its event count and its
/// last hash (``mac(head:seq:hash:)``), so that cutting the last events off is detected too.
/// ``EventChain/verify(_:head:keys:)`` checks both. The key is never written anywhere; whoever
/// constructs the store passes it in (the command line reads `BATON_AUDIT_KEY`).
///
/// ```swift
/// let key = try AuditKey(secret: "4f1c…")   // at least 16 bytes; 32 random bytes as hex is good
/// let store = try SQLiteStore(path: path, auditKey: key)
/// ```
///
/// The messages authenticated, for a verifier written without Baton (`docs/audit.md`):
/// `"event\n" + hash` for an event, `"head\n" + run + "\n" + count + "\n" + hash` for a head.
public struct AuditKey: Sendable, CustomStringConvertible, CustomReflectable {
    /// The shortest secret accepted, in bytes.
    public static let minimumLength = 16

    private let authenticator: Authenticator

    /// A key whose secret is the UTF-8 bytes of `secret`, exactly as given.
    ///
    /// - Throws: ``AuditKeyError/tooShort(length:)`` below ``minimumLength`` bytes.
    public init(secret: String) throws(AuditKeyError) {
        try self.init(bytes: Array(secret.utf8))
    }

    /// A key whose secret is `bytes`.
    ///
    /// - Throws: ``AuditKeyError/tooShort(length:)`` below ``minimumLength`` bytes.
    public init(bytes: [UInt8]) throws(AuditKeyError) {
        guard bytes.count >= Self.minimumLength else { throw AuditKeyError.tooShort(length: bytes.count) }
        authenticator = Authenticator(HMAC(key: SymmetricKey(data: bytes)))
    }

    /// The MAC of the event whose hash is `hash`, as lowercase hex.
    public func mac(event hash: String) -> String {
        authenticator.mac("event\n", hash)
    }

    /// The MAC of a run's head: the run, how many events its journal has, and the last one's hash.
    public func mac(head run: RunID, seq: Int, hash: String) -> String {
        authenticator.mac("head\n", run.rawValue, "\n", String(seq), "\n", hash)
    }

    /// Whether `mac` is the MAC of the event whose hash is `hash` (compared in constant time).
    func authenticates(event hash: String, mac: String) -> Bool {
        Self.same(self.mac(event: hash), mac)
    }

    /// Whether `head`'s MAC is the MAC of its run, count and hash (compared in constant time).
    func authenticates(_ head: ChainHead) -> Bool {
        guard let mac = head.mac else { return false }
        return Self.same(self.mac(head: head.run, seq: head.seq, hash: head.hash), mac)
    }

    /// Never the secret.
    public var description: String { "AuditKey(secret not shown)" }

    /// Nothing to reflect: `dump` and the debugger show no key material either.
    public var customMirror: Mirror { Mirror(self, children: []) }

    /// Compares two MACs in time that depends on their length only.
    private static func same(_ a: String, _ b: String) -> Bool {
        let (a, b) = (Array(a.utf8), Array(b.utf8))
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// An ``AuditKey`` that cannot be used.
public enum AuditKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooShort(length: Int)

    public var description: String {
        switch self {
        case let .tooShort(length):
            return "the audit key is \(length) bytes long, and needs at least \(AuditKey.minimumLength); use 32 random bytes as hex (for example `openssl rand -hex 32`)"
        }
    }
}

/// HMAC-SHA256 with the key's padding already hashed: each MAC starts from a copy of it.
///
/// `@unchecked Sendable`: the prepared value is never mutated after `init`. swift-crypto's hash
/// states are copy-on-write, so a copy that is updated gets its own state and the shared one is
/// only read, which is safe from any thread.
private final class Authenticator: @unchecked Sendable {
    private let prepared: HMAC<SHA256>

    init(_ prepared: HMAC<SHA256>) {
        self.prepared = prepared
    }

    func mac(_ parts: String...) -> String {
        var authenticator = prepared
        for var part in parts {
            part.withUTF8 { authenticator.update(data: $0) }
        }
        return Hash.hex(authenticator.finalize())
    }
}
