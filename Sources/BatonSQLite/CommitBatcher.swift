import BatonCore
import GRDB
import Synchronization

/// Group commit: commits that arrive while the writer is busy are written together, in one
/// transaction and one fsync, as soon as the writer is free.
///
/// There is no timer: the first commit starts at once; those that arrive during its
/// transaction form the next batch. Each commit runs in its own savepoint, so a commit that
/// fails its own checks (its lease, its run) is rolled back alone and only its caller sees the
/// error; the others still commit. A failure of the transaction itself (I/O, a full disk, a lock
/// held past the busy timeout) fails every commit of the batch, none of which was written.
final class CommitBatcher: Sendable {
    private struct Pending {
        var commit: PreparedCommit
        var continuation: CheckedContinuation<CommitReceipt, any Error>
    }

    private struct Queue {
        var pending: [Pending] = []
        var scheduled = false
        var statistics = Statistics()
    }

    /// How many transactions wrote how many commits (for tests and benchmarks).
    struct Statistics: Sendable, Equatable {
        var batches = 0
        var commits = 0
    }

    var statistics: Statistics { queue.withLock { $0.statistics } }

    private let pool: DatabasePool
    private let path: String
    private let auditKey: AuditKey?
    private let queue = Mutex(Queue())

    init(pool: DatabasePool, path: String, auditKey: AuditKey?) {
        self.pool = pool
        self.path = path
        self.auditKey = auditKey
    }

    func submit(_ commit: PreparedCommit) async throws -> CommitReceipt {
        try await withCheckedThrowingContinuation { continuation in
            let schedule = queue.withLock { queue in
                queue.pending.append(Pending(commit: commit, continuation: continuation))
                defer { queue.scheduled = true }
                return !queue.scheduled
            }
            if schedule {
                pool.asyncWriteWithoutTransaction { db in self.drain(db) }
            }
        }
    }

    /// Runs on the writer: takes every pending commit and writes them in one transaction.
    private func drain(_ db: Database) {
        let batch = queue.withLock { queue in
            defer {
                if !queue.pending.isEmpty {
                    queue.statistics.batches += 1
                    queue.statistics.commits += queue.pending.count
                }
                queue.pending = []
                queue.scheduled = false
            }
            return queue.pending
        }
        guard !batch.isEmpty else { return }
        var outcomes: [Result<CommitReceipt, any Error>] = []
        outcomes.reserveCapacity(batch.count)
        do {
            try db.inTransaction(.immediate) {
                outcomes.removeAll(keepingCapacity: true)
                for item in batch {
                    do {
                        var receipt: CommitReceipt?
                        try db.inSavepoint {
                            receipt = try CommitWriter.apply(item.commit, key: auditKey, db)
                            return .commit
                        }
                        guard let receipt else { throw StoreError.unavailable("a batched commit returned no receipt") }
                        outcomes.append(.success(receipt))
                    } catch let error as StoreError {
                        outcomes.append(.failure(error))
                    }
                }
                return .commit
            }
        } catch {
            let mapped = StoreErrorMapping.map(error, path: path)
            for item in batch { item.continuation.resume(throwing: mapped) }
            return
        }
        for (item, outcome) in zip(batch, outcomes) {
            item.continuation.resume(with: outcome)
        }
    }
}
