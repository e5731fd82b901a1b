import BatonCore
import PostgresNIO

/// The work queue on the `runs` table: a run is ready from its `ready_at` on, while no live lease
/// holds it. Commits keep `ready_at` up to date (a parked run is ready at its first timer, or
/// never until something from outside wakes it; a finished run never), and what wakes a parked
/// run (a signal, an approval's decision, its child's end) sets it to now and notifies the
/// workers listening on the schema's channel, so that an idle worker takes it at once.
///
/// A run that a worker's process leaves behind (killed, or its machine gone) keeps `ready_at`
/// while its lease runs out, so another worker reclaims it then, and resumes it from its last
/// checkpoint with its journaled effects replayed, not repeated.
enum PostgresWorkQueue {
    /// The channel workers listen on for runs of `schema` (the quoted schema name).
    static func channel(schema s: String) -> String { "baton_ready_" + s.filter { $0 != "\"" } }

    /// Tells listening workers that `run` is ready (delivered when the transaction commits).
    static func notify(_ run: RunID, schema s: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.query("SELECT pg_notify(\(channel(schema: s)), \(run.rawValue))", logger: logger)
    }

    /// Makes a parked `run` ready now, and says so.
    static func wake(_ run: RunID, schema s: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.query(
            "UPDATE \(unescaped: s).runs SET ready_at = \(EventDraft.now()) WHERE id = \(run.rawValue) AND status = 'waiting'", logger: logger
        )
        try await notify(run, schema: s, connection, logger)
    }

    /// A child run ended: its parent, parked on it, is ready.
    static func wakeParent(of child: RunID, schema s: String, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let rows = try await connection.query(
            "SELECT parent FROM \(unescaped: s).runs WHERE id = \(child.rawValue) AND parent IS NOT NULL", logger: logger
        )
        for try await text in rows.decode(String.self) {
            guard let parent = try? JSON(parsing: text), parent["relation"] == "child", let id = parent["run"]?.stringValue else { continue }
            try await wake(RunID(id), schema: s, connection, logger)
        }
    }
}

extension PostgresStore {
    /// Takes up to `limit` ready runs for `owner`, oldest ready first, skipping runs another
    /// worker is taking at the same moment (`FOR UPDATE SKIP LOCKED`) and the runs in `driving`
    /// (the owner's own, being driven), and leases them to it. A run the owner holds but does not
    /// drive (its turn failed while the store was away) is taken again.
    public func claimReadyRuns(for owner: LeaseOwner, limit: Int, leaseDuration: Duration, excluding driving: Set<RunID> = []) async throws -> [RunID] {
        guard limit > 0 else { return [] }
        return try await transaction { connection, logger in
            let now = EventDraft.now()
            let rows = try await connection.query("""
                SELECT id, lease_id, lease_host, lease_pid, lease_expires_at FROM \(unescaped: self.s).runs
                WHERE ready_at <= \(now) AND (lease_id IS NULL OR lease_expires_at <= \(now) OR lease_host = \(owner.host))
                ORDER BY ready_at, id LIMIT \(limit + driving.count) FOR UPDATE SKIP LOCKED
                """, logger: logger)
            var claimed: [String] = []
            for try await (id, leaseID, host, pid, expires) in rows.decode((String, String?, String?, Int64?, Int64?).self) {
                guard claimed.count < limit else { break }
                // A lease of this host is live while its process is; of another, until it expires.
                let holder = leaseID.flatMap { id in host.flatMap { host in pid.map { LeaseOwner(id: id, host: host, pid: Int32(truncatingIfNeeded: $0)) } } }
                if driving.contains(RunID(id)) || LeaseOwner.isLive(holder, expiresAt: expires, toOtherThan: owner, now: now) { continue }
                claimed.append(id)
            }
            guard !claimed.isEmpty else { return [] }
            try await connection.query("""
                UPDATE \(unescaped: self.s).runs SET lease_id = \(owner.id), lease_host = \(owner.host), lease_pid = \(Int64(owner.pid)),
                    lease_expires_at = \(now + Int64(leaseDuration.seconds * 1000))
                WHERE id = ANY(\(claimed)::text[])
                """, logger: logger)
            return claimed.map { RunID($0) }
        }
    }

    /// Extends every lease `owner` holds by `duration` from now: a worker's heartbeat. Returns
    /// how many runs it holds.
    @discardableResult
    public func renewLeases(of owner: LeaseOwner, duration: Duration) async throws -> Int {
        try await read { connection, logger in
            let rows = try await connection.query("""
                UPDATE \(unescaped: self.s).runs SET lease_expires_at = \(EventDraft.now() + Int64(duration.seconds * 1000))
                WHERE lease_id = \(owner.id) RETURNING 1
                """, logger: logger)
            var count = 0
            for try await _ in rows.decode(Int.self) { count += 1 }
            return count
        }
    }

    /// Puts off run `id`, whose turn failed, by `delay`, and releases `owner`'s lease on it (a run
    /// parked with nothing to wake it stays so).
    public func postpone(_ id: RunID, owner: LeaseOwner, by delay: Duration) async throws {
        try await read { connection, logger in
            try await connection.query("""
                UPDATE \(unescaped: self.s).runs SET ready_at = CASE WHEN ready_at IS NULL THEN NULL ELSE \(EventDraft.now() + Int64(delay.seconds * 1000)) END,
                    lease_id = CASE WHEN lease_id = \(owner.id) THEN NULL ELSE lease_id END,
                    lease_expires_at = CASE WHEN lease_id = \(owner.id) THEN NULL ELSE lease_expires_at END
                WHERE id = \(id.rawValue)
                """, logger: logger)
        }
    }

    /// Runs `body` with a sequence of the runs that become ready (by their ids), from a
    /// connection of its own that listens on the schema's channel.
    public func withReadyNotifications<T: Sendable>(_ body: @Sendable (PostgresNotificationSequence) async throws -> T) async throws -> T {
        let logger = self.logger
        let channel = PostgresWorkQueue.channel(schema: s)
        return try await Self.mapping(location) {
            let connection = try await PostgresConnection.connect(configuration: try location.connectionConfiguration, id: 1, logger: logger)
            do {
                let value = try await connection.listen(on: channel) { notifications in try await body(notifications) }
                try? await connection.close()
                return value
            } catch {
                try? await connection.close()
                throw error
            }
        }
    }
}
