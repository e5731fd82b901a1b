import Foundation

/// Who executes a run: one engine in one process. A run is driven by one owner at a time; an
/// owner's lease ends when it releases it, when it expires, or when its process is gone.
public struct LeaseOwner: Sendable, Hashable, Codable, CustomStringConvertible {
    public var id: String
    public var host: String
    public var pid: Int32

    public init(id: String, host: String, pid: Int32) {
        self.id = id
        self.host = host
        self.pid = pid
    }

    /// This machine's host name, read once (looking it up can cost a resolver call).
    static let thisHost = ProcessInfo.processInfo.hostName

    /// This process's id.
    static let thisProcess = ProcessInfo.processInfo.processIdentifier

    /// A fresh owner for this process.
    public static func current() -> LeaseOwner {
        LeaseOwner(id: UUID().uuidString.lowercased(), host: thisHost, pid: thisProcess)
    }

    public var description: String { "\(host) pid \(pid)" }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension RunRecord {
    /// Whether the run's lease is held by a live owner other than `owner` at `now`.
    ///
    /// A lease is live until it expires; on this host it also ends as soon as its process is gone,
    /// so a run whose process was killed can be resumed at once.
    public func isLeased(byOtherThan owner: LeaseOwner?, now: Int64) -> Bool {
        LeaseOwner.isLive(leaseOwner, expiresAt: leaseExpiresAt, toOtherThan: owner, now: now)
    }
}

extension LeaseOwner {
    /// Whether `holder`'s lease, expiring at `expiry`, keeps a run from anyone but `owner` at
    /// `now`, by ``RunRecord/isLeased(byOtherThan:now:)``'s rules (for stores reading bare columns).
    package static func isLive(_ holder: LeaseOwner?, expiresAt expiry: Int64?, toOtherThan owner: LeaseOwner?, now: Int64) -> Bool {
        guard let holder, let expiry else { return false }
        if let owner, holder.id == owner.id { return false }
        if expiry <= now { return false }
        if holder.host == LeaseOwner.thisHost {
            if holder.pid == LeaseOwner.thisProcess {
                // Same process, another engine: live while unexpired.
                return true
            }
            return kill(holder.pid, 0) == 0 || errno == EPERM
        }
        return true
    }
}
