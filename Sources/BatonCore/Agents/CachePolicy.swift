import Synchronization

/// An agent's opt-in caching: model answers, and pure tools' results, kept for ``ttl``.
public struct CachePolicy: Sendable, Hashable {
    public var ttl: Duration
    /// Cache model answers (keyed by provider, model and the canonical request).
    public var models: Bool
    /// Cache the results of the agent's pure tools (keyed by tool and canonical arguments).
    public var tools: Bool

    public init(ttl: Duration = .seconds(3600), models: Bool = true, tools: Bool = true) {
        self.ttl = ttl
        self.models = models
        self.tools = tools
    }
}

/// A content-addressed cache of model answers and pure tools' results. The SQLite store keeps one
/// in its file; ``InMemoryResponseCache`` serves tests and throwaway runs.
public protocol ResponseCache: Sendable {
    /// The value stored under `key`, unless it has expired.
    func cached(_ key: String) async throws -> JSON?
    /// Stores `value` under `key` for `ttl`.
    func store(_ value: JSON, under key: String, ttl: Duration) async throws
}

/// A ``ResponseCache`` in this process's memory.
public final class InMemoryResponseCache: ResponseCache {
    private let entries = Mutex<[String: (value: JSON, expires: ContinuousClock.Instant)]>([:])

    public init() {}

    public func cached(_ key: String) async throws -> JSON? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            if entry.expires <= .now {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    public func store(_ value: JSON, under key: String, ttl: Duration) async throws {
        entries.withLock { $0[key] = (value, .now + ttl) }
    }
}

/// The keys of the response cache: content addresses.
enum CacheKey {
    /// The key of a model answer: a SHA-256 of the provider, the model and the canonical request.
    static func modelKey(_ reference: ModelReference, _ request: ModelRequest) -> String {
        "model:" + Hash.sha256Hex(Array((reference.description + "\u{0}" + request.json.canonicalString).utf8))
    }

    /// The key of a pure tool's result: a SHA-256 of the tool's name and canonical arguments.
    static func toolKey(_ tool: String, _ arguments: JSON) -> String {
        "tool:" + Hash.sha256Hex(Array((tool + "\u{0}" + arguments.canonicalString).utf8))
    }
}
