import Foundation
import Synchronization

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

    /// A new, unique, time-ordered identifier: `run_`, 12 hex digits of milliseconds since 1970,
    /// then 16 hex digits that differ for every identifier: a random 64-bit number drawn once per
    /// process plus a counter, so that two processes collide only if their random draws fall
    /// within as many runs of each other (odds of about one in 2^64 per run), and one process never.
    public static func generate() -> RunID {
        let millis = UInt64((Date().timeIntervalSince1970 * 1000).rounded())
        let random = processSalt &+ counter.add(1, ordering: .relaxed).newValue
        let digits: StaticString = "0123456789abcdef"
        let text = String(unsafeUninitializedCapacity: 32) { buffer in
            for (offset, byte) in "run_".utf8.enumerated() { buffer[offset] = byte }
            digits.withUTF8Buffer { digits in
                for position in 0..<12 { buffer[4 + position] = digits[Int((millis >> UInt64(4 * (11 - position))) & 0xF)] }
                for position in 0..<16 { buffer[16 + position] = digits[Int((random >> UInt64(4 * (15 - position))) & 0xF)] }
            }
            return 32
        }
        return RunID(text)
    }

    private static let processSalt = UInt64.random(in: .min ... .max)
    private static let counter = Atomic<UInt64>(0)
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
