import Foundation

/// The identifier of a run: `run_` followed by a time-ordered hex stamp and random bits, so that
/// identifiers sort by creation time. Child runs of sub-workflow nodes derive theirs from the
/// parent's and the step's, so that re-executing the step finds the same child.
public struct RunID: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// A new, unique, time-ordered identifier.
    public static func generate() -> RunID {
        let millis = UInt64((Date().timeIntervalSince1970 * 1000).rounded())
        let stamp = String(millis, radix: 16)
        let random = String(UInt64.random(in: 0...UInt64(UInt32.max)), radix: 16)
        return RunID("run_" + String(repeating: "0", count: max(0, 12 - stamp.count)) + stamp
            + String(repeating: "0", count: max(0, 8 - random.count)) + random)
    }
}

/// Where a run is in its life.
public enum RunStatus: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case pending, running, waiting, succeeded, failed, cancelled
    case limitExceeded = "limit-exceeded"

    /// True once the run can no longer change.
    public var isTerminal: Bool {
        switch self {
        case .succeeded, .failed, .cancelled, .limitExceeded: return true
        case .pending, .running, .waiting: return false
        }
    }

    public var description: String { rawValue }
}
