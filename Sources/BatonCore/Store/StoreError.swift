/// A store operation that failed, saying why and what to do.
public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    case runNotFound(RunID)
    case runAlreadyExists(RunID)
    case checkpointNotFound(RunID, superstep: Int)
    /// Another live engine drives the run.
    case leaseHeld(RunID, by: String)
    /// The commit's owner no longer holds the run's lease.
    case leaseLost(RunID)
    /// The store was written by a newer Baton.
    case schemaTooNew(found: Int, supported: Int)
    /// The run's journal is authenticated with an audit key and this store was opened without one.
    case auditKeyRequired(RunID)
    case locked(String)
    case readOnly(String)
    case corrupted(String)
    case unavailable(String)

    public var description: String {
        switch self {
        case let .runNotFound(id): return "no run '\(id)' in this store; list runs with `baton runs list`"
        case let .runAlreadyExists(id): return "a run '\(id)' already exists"
        case let .checkpointNotFound(id, superstep): return "run '\(id)' has no checkpoint \(superstep); `baton runs show \(id)` lists its checkpoints"
        case let .leaseHeld(id, owner): return "run '\(id)' is being executed by \(owner); wait for it to finish or stop, or cancel it with `baton cancel \(id)`"
        case let .leaseLost(id): return "this process lost the lease on run '\(id)' to another executor; it stopped without committing"
        case let .schemaTooNew(found, supported): return "the store was written by a newer Baton (schema version \(found); this build supports up to \(supported)); upgrade baton"
        case let .auditKeyRequired(id): return "run '\(id)' is authenticated with an audit key and this process has none, so its events would break the chain's MACs; set BATON_AUDIT_KEY (or BATON_AUDIT_KEY_FILE) as for the process that wrote the run"
        case let .locked(detail): return "the store is locked by another process (\(detail)); try again when it finishes"
        case let .readOnly(detail): return "the store cannot be written (\(detail)); check the file's permissions or choose another with --store"
        case let .corrupted(detail): return "the store file is damaged or is not a Baton store (\(detail)); restore it from a backup or choose another with --store"
        case let .unavailable(detail): return "the store cannot be opened: \(detail)"
        }
    }
}
