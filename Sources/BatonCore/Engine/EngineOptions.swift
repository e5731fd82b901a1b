/// Settings of an ``Engine``.
public struct EngineOptions: Sendable {
    /// How long a run's lease lasts without renewal. On this host a lease also ends when its process exits.
    public var leaseDuration: Duration
    /// A run parked only on timers that fire within this long sleeps in-process and goes on;
    /// longer waits park the run (rows only) until `resume`.
    public var inProcessTimerLimit: Duration
    /// A number in 0..<1 for retry jitter.
    public var random: @Sendable () -> Double
    /// Where this engine runs (`production`, `staging`, …): policies match on it.
    public var environment: String?
    /// Who holds the leases of the runs this engine drives (`nil`: an owner of its own). A worker
    /// gives all its engines its own, so that the runs it claimed are theirs to drive.
    public var owner: LeaseOwner?
    /// After this many supersteps, a run that is still going is handed back (its lease released,
    /// its result `running`) so that a worker can give others a turn; `nil`: drive it to the end.
    public var superstepsPerTurn: Int?

    public init(
        leaseDuration: Duration = .seconds(300), inProcessTimerLimit: Duration = .seconds(60),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, environment: String? = nil,
        owner: LeaseOwner? = nil, superstepsPerTurn: Int? = nil
    ) {
        self.leaseDuration = leaseDuration
        self.inProcessTimerLimit = inProcessTimerLimit
        self.random = random
        self.environment = environment
        self.owner = owner
        self.superstepsPerTurn = superstepsPerTurn.map { max(1, $0) }
    }
}
