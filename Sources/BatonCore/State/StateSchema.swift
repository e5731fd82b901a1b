/// The declared keys of a workflow's state: each key's reducer and optional initial value.
/// Keys that are not declared use ``Reducer/replace``.
public struct StateSchema: Sendable {
    /// One declared key.
    public struct Key: Sendable {
        public var reducer: Reducer
        /// The value the key has before any write (and before the run's input is applied).
        public var initial: JSON?

        public init(reducer: Reducer = .replace, initial: JSON? = nil) {
            self.reducer = reducer
            self.initial = initial
        }
    }

    public var keys: [String: Key]

    public init(_ keys: [String: Key] = [:]) { self.keys = keys }

    /// The reducer of `key`.
    public func reducer(for key: String) -> Reducer { keys[key]?.reducer ?? .replace }

    /// The state a run starts with: each declared initial value, then the input's members on top.
    public func initialState(input: JSON) -> [String: JSON] {
        var state: [String: JSON] = [:]
        for (key, declared) in keys { if let initial = declared.initial { state[key] = initial } }
        if case let .object(members) = input {
            for (key, value) in members { state[key] = value }
        }
        return state
    }

    /// Applies writes in the order given (which the engine makes the branch order).
    public func apply(_ writes: [StateWrite], to state: inout [String: JSON]) throws(StateError) {
        for write in writes {
            let reducer = reducer(for: write.key)
            if case .append = reducer {
                // Take the list out of the state so that appending does not copy it each time:
                // N appends in one superstep cost O(N), not O(N²).
                var current = state.removeValue(forKey: write.key)
                defer { state[write.key] = current }
                try Reducer.append(write.value, to: &current, key: write.key)
            } else if let position = state.index(forKey: write.key) {
                state.values[position] = try reducer.reduce(state.values[position], write.value, key: write.key)
            } else {
                state[write.key] = try reducer.reduce(nil, write.value, key: write.key)
            }
        }
    }
}

/// One write to one state key, as a node produced it (before its reducer runs).
public struct StateWrite: Sendable, Hashable, Codable {
    public var key: String
    public var value: JSON

    public init(key: String, value: JSON) {
        self.key = key
        self.value = value
    }
}
