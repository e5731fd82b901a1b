import BatonCore
import Foundation

/// The JSON the benchmark prints, with object members in the order they were given (so that every
/// line reads `workload, primary, ops, …` like the issue spells it) and numbers at a fixed precision.
enum JSONText: Sendable {
    case int(Int)
    case number(Double, digits: Int)
    case string(String)
    case bool(Bool)
    case object([(String, JSONText)])
    /// Any other value, written canonically by BatonCore.
    case json(JSON)

    var text: String {
        switch self {
        case let .int(value): return String(value)
        case let .number(value, digits):
            return value.isFinite ? String(format: "%.\(digits)f", value) : "null"
        case let .string(value): return JSON.string(value).canonicalString
        case let .bool(value): return value ? "true" : "false"
        case let .object(members):
            return "{" + members.map { "\(JSON.string($0.0).canonicalString):\($0.1.text)" }.joined(separator: ",") + "}"
        case let .json(value): return value.canonicalString
        }
    }
}
