/// The fixed set of functions an expression may call. A name outside this set is a parse error, and
/// so is a call with the wrong number of arguments. docs/expressions.md describes each one.
enum ExpressionFunction: String, Sendable, CaseIterable {
    case len, lower, upper
    case contains, startsWith, endsWith, matches
    case exists, `default`
    case number, string, int, abs
    case min, max, sum, any, all, keys

    /// How many arguments the function takes; `nil` as the upper bound means any number.
    var arity: (minimum: Int, maximum: Int?) {
        switch self {
        case .len, .lower, .upper, .exists, .number, .string, .int, .abs, .sum, .any, .all, .keys:
            return (1, 1)
        case .contains, .startsWith, .endsWith, .matches, .default:
            return (2, 2)
        case .min, .max:
            return (1, nil)
        }
    }

    /// The call as documented, for error messages: `startsWith(s, prefix)`.
    var signature: String {
        switch self {
        case .len: return "len(x)"
        case .lower: return "lower(s)"
        case .upper: return "upper(s)"
        case .contains: return "contains(haystack, needle)"
        case .startsWith: return "startsWith(s, prefix)"
        case .endsWith: return "endsWith(s, suffix)"
        case .matches: return "matches(s, pattern)"
        case .exists: return "exists(x)"
        case .default: return "default(x, fallback)"
        case .number: return "number(x)"
        case .string: return "string(x)"
        case .int: return "int(x)"
        case .abs: return "abs(x)"
        case .min: return "min(a, b, …)"
        case .max: return "max(a, b, …)"
        case .sum: return "sum(array)"
        case .any: return "any(array)"
        case .all: return "all(array)"
        case .keys: return "keys(object)"
        }
    }

    /// Every function name, sorted, for the "unknown function" message.
    static let namesList: String = allCases.map(\.rawValue).sorted().joined(separator: ", ")

    /// Checks the number of arguments; returns what to tell the author when it is wrong.
    func arityProblem(count: Int) -> String? {
        let (minimum, maximum) = arity
        if count >= minimum, count <= (maximum ?? Int.max) { return nil }
        let expected: String
        if let maximum, maximum == minimum {
            expected = minimum == 1 ? "1 argument" : "\(minimum) arguments"
        } else {
            expected = "at least \(minimum) argument\(minimum == 1 ? "" : "s")"
        }
        return "\(rawValue) takes \(expected), got \(count); call it as \(signature)"
    }
}
