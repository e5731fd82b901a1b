/// How writes to one state key merge into its current value.
///
/// Every key of a run's state declares a reducer. Writes made by parallel branches in the same
/// superstep are folded in branch order, never in completion order, so a run's result does not
/// depend on timing.
public enum Reducer: Sendable {
    /// The write replaces the current value (the default).
    case replace
    /// The write is appended to the current array; an array write appends each of its elements.
    case append
    /// The write (an object) is merged into the current object, key by key, recursively.
    case merge
    /// The write (a number) is added to the current number.
    case sum
    /// A Swift function of the current value (`nil` when unset) and the write. It must be
    /// deterministic: replay and time travel fold recorded writes through it again.
    case custom(CustomReducer)

    /// Folds `update` into `current`.
    public func reduce(_ current: JSON?, _ update: JSON, key: String) throws(StateError) -> JSON {
        switch self {
        case .replace:
            return update
        case .append:
            var result = current
            try Reducer.append(update, to: &result, key: key)
            return result ?? .array([])
        case .merge:
            guard case let .object(patch) = update else {
                throw StateError.reducerTypeMismatch(key: key, reducer: "merge", expected: "an object", found: update)
            }
            switch current {
            case nil, .null?: return update
            case let .object(existing)?: return .object(Reducer.deepMerge(existing, patch))
            case let other?: throw StateError.reducerTypeMismatch(key: key, reducer: "merge", expected: "an object", found: other)
            }
        case .sum:
            guard update.isNumber else {
                throw StateError.reducerTypeMismatch(key: key, reducer: "sum", expected: "a number", found: update)
            }
            switch current {
            case nil, .null?: return update
            case let .int(a)?:
                if case let .int(b) = update {
                    let (result, overflow) = a.addingReportingOverflow(b)
                    return overflow ? .double(Double(a) + Double(b)) : .int(result)
                }
                return .double(Double(a) + (update.doubleValue ?? 0))
            case let .double(a)?: return .double(a + (update.doubleValue ?? 0))
            case let other?: throw StateError.reducerTypeMismatch(key: key, reducer: "sum", expected: "a number", found: other)
            }
        case let .custom(reducer):
            do {
                return try reducer.combine(current, update)
            } catch {
                throw StateError.customReducerFailed(key: key, reducer: reducer.name, message: "\(error)")
            }
        }
    }

    /// Appends `update` (each element of an array, or the value itself) to the list in `current`,
    /// in place when the list is not shared.
    static func append(_ update: JSON, to current: inout JSON?, key: String) throws(StateError) {
        if var elements = takeArray(&current) {
            if case let .array(more) = update { elements.append(contentsOf: more) } else { elements.append(update) }
            current = .array(elements)
            return
        }
        switch current {
        case nil, .null?:
            if case .array = update { current = update } else { current = .array([update]) }
        case let other?:
            throw StateError.reducerTypeMismatch(key: key, reducer: "append", expected: "an array", found: other)
        }
    }

    /// Moves the list out of `current` (leaving `nil`), so that the caller holds its only
    /// reference and can append without copying; `nil` if `current` is not a list.
    private static func takeArray(_ current: inout JSON?) -> [JSON]? {
        guard case let .array(elements)? = current else { return nil }
        current = nil
        return elements
    }

    /// The name used in YAML and in events: `replace`, `append`, `merge`, `sum`, or the custom name.
    public var name: String {
        switch self {
        case .replace: return "replace"
        case .append: return "append"
        case .merge: return "merge"
        case .sum: return "sum"
        case let .custom(reducer): return reducer.name
        }
    }

    /// The built-in reducer called `name`, or `nil`.
    public init?(builtIn name: String) {
        switch name {
        case "replace": self = .replace
        case "append": self = .append
        case "merge": self = .merge
        case "sum": self = .sum
        default: return nil
        }
    }

    static func deepMerge(_ base: [String: JSON], _ patch: [String: JSON]) -> [String: JSON] {
        var result = base
        for (key, value) in patch {
            if case let .object(inner) = value, case let .object(existing)? = result[key] {
                result[key] = .object(deepMerge(existing, inner))
            } else {
                result[key] = value
            }
        }
        return result
    }
}

/// A reducer written in Swift, registered under a name so that YAML workflows can refer to it.
public struct CustomReducer: Sendable {
    /// The name YAML uses to refer to this reducer.
    public var name: String
    /// Folds a write into the current value (`nil` when the key is unset).
    public var combine: @Sendable (JSON?, JSON) throws -> JSON

    public init(name: String, combine: @escaping @Sendable (JSON?, JSON) throws -> JSON) {
        self.name = name
        self.combine = combine
    }
}
