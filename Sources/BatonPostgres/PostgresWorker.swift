import BatonCore
import Synchronization

/// Runs the runs of a PostgreSQL store until stopped, side by side with any number of other
/// workers on any number of machines.
///
/// It claims ready runs (at most `concurrency` at a time, oldest ready first), drives each for a
/// turn of a few supersteps with an engine whose leases are the worker's, and hands it back, so
/// that a busy run cannot starve the others. It wakes as soon as a run becomes ready (the store
/// notifies), and otherwise looks at most once a second. A heartbeat extends the leases it holds;
/// when its process dies they run out (at once for workers on the same machine, which see the
/// process is gone) and other workers take the runs over from their last checkpoints.
///
/// Cancelling the task that runs ``run()`` stops it gracefully: it claims nothing more, lets each
/// run it holds finish its turn (committing it and releasing the lease), and returns.
public final class PostgresWorker: Sendable {
    /// Settings of a worker.
    public struct Options: Sendable {
        /// Runs driven at once.
        public var concurrency: Int
        /// How long a claimed run's lease lasts between heartbeats (one every third of it).
        public var leaseDuration: Duration
        /// Supersteps a run is driven before it is handed back.
        public var superstepsPerTurn: Int
        /// The longest idle wait between looks at the queue.
        public var pollInterval: Duration
        /// How long a run whose turn failed (its workflow cannot be loaded, the store went away)
        /// waits before a worker tries it again.
        public var retryDelay: Duration

        public init(
            concurrency: Int = 4, leaseDuration: Duration = .seconds(30), superstepsPerTurn: Int = 10, pollInterval: Duration = .seconds(1),
            retryDelay: Duration = .seconds(5)
        ) {
            self.concurrency = max(1, concurrency)
            self.leaseDuration = leaseDuration
            self.superstepsPerTurn = max(1, superstepsPerTurn)
            self.pollInterval = pollInterval
            self.retryDelay = retryDelay
        }
    }

    /// What a worker reports: runs it took and how their turns ended, and troubles it recovers from.
    public enum Report: Sendable {
        case claimed(RunID)
        case turnEnded(RunID, RunStatus)
        case turnFailed(RunID, any Error)
        case storeUnavailable(any Error, retryIn: Duration)
    }

    public let store: PostgresStore
    public let options: Options
    /// The owner of every lease this worker holds.
    public let owner: LeaseOwner
    /// The engine that drives `run` (the worker's owner and turn length are in `engineOptions`).
    private let makeEngine: @Sendable (_ run: RunRecord, _ engineOptions: EngineOptions) async throws -> Engine
    private let report: @Sendable (Report) -> Void
    private let held = Mutex<Set<RunID>>([])

    /// - Parameters:
    ///   - makeEngine: an engine for `run` with `engineOptions` (pass them to `Engine`): it must be
    ///     able to resume the run's workflow (register it, or give a loader) and give it its tools
    ///     and agents.
    ///   - report: called for each claim, turn and trouble (for logs).
    public init(
        store: PostgresStore, options: Options = Options(),
        makeEngine: @escaping @Sendable (_ run: RunRecord, _ engineOptions: EngineOptions) async throws -> Engine,
        report: @escaping @Sendable (Report) -> Void = { _ in }
    ) {
        self.store = store
        self.options = options
        self.owner = LeaseOwner.current()
        self.makeEngine = makeEngine
        self.report = report
    }

    /// Runs held now.
    public var running: Int { held.withLock { $0.count } }

    /// Claims and drives runs until the task is cancelled, then finishes the turns it holds.
    public func run() async {
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        // The heartbeat outlives the worker's cancellation until the last turn has ended.
        let heartbeat = Task { await self.heartbeat() }
        defer { heartbeat.cancel() }
        await withTaskGroup(of: Void.self) { background in
            background.addTask { await self.listen(wake) }
            background.addTask { await self.tick(wake) }
            await withTaskGroup(of: Void.self) { turns in
                var failures = 0
                wake.yield()
                for await _ in wakeups {
                    if Task.isCancelled { break }
                    let free = options.concurrency - running
                    guard free > 0 else { continue }
                    do {
                        let claimed = try await store.claimReadyRuns(
                            for: owner, limit: free, leaseDuration: options.leaseDuration, excluding: held.withLock { $0 }
                        )
                        failures = 0
                        for id in claimed {
                            held.withLock { _ = $0.insert(id) }
                            report(.claimed(id))
                            // A turn is not cancelled with the worker: it ends at its next commit.
                            turns.addTask {
                                await Task { await self.turn(id) }.value
                                self.held.withLock { _ = $0.remove(id) }
                                wake.yield()
                            }
                        }
                        if claimed.count == free { wake.yield() }
                    } catch {
                        failures += 1
                        let delay = Duration.milliseconds(min(10_000, 250 << min(failures, 6)))
                        report(.storeUnavailable(error, retryIn: delay))
                        try? await Task.sleep(for: delay)
                        wake.yield()
                    }
                }
                await turns.waitForAll()
            }
            background.cancelAll()
        }
    }

    /// One turn of run `id`: resumed by its engine, handed back after a few supersteps.
    private func turn(_ id: RunID) async {
        do {
            guard let record = try await store.run(id) else { return }
            let engine = try await makeEngine(record, EngineOptions(leaseDuration: options.leaseDuration, owner: owner, superstepsPerTurn: options.superstepsPerTurn))
            let result = try await engine.resume(id)
            report(.turnEnded(id, result.status))
        } catch {
            report(.turnFailed(id, error))
            try? await store.postpone(id, owner: owner, by: options.retryDelay)
        }
    }

    /// Wakes the loop for each run the store says is ready, reconnecting when the connection drops.
    private func listen(_ wake: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            do {
                try await store.withReadyNotifications { notifications in
                    for try await _ in notifications { wake.yield() }
                }
            } catch {
                if Task.isCancelled { return }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Wakes the loop at least once a `pollInterval` (timers coming due, leases running out).
    private func tick(_ wake: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: options.pollInterval)
            wake.yield()
        }
    }

    /// Extends the leases this worker holds, every third of their duration.
    private func heartbeat() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: options.leaseDuration / 3)
            if running > 0 { _ = try? await store.renewLeases(of: owner, duration: options.leaseDuration) }
        }
    }
}
