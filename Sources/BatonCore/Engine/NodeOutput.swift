/// What one execution of a node produced, before the engine records it.
struct NodeOutput: Sendable {
    var output: JSON
    /// Writes this node asks for, when its kind decides them itself (`set`); `nil` derives them from `output`.
    var writes: [StateWrite]?
    var routes: [String]?
    var waiting: WaitCondition?
    var consumedSignals: [Int64] = []

    init(output: JSON, writes: [StateWrite]? = nil, routes: [String]? = nil, waiting: WaitCondition? = nil, consumedSignals: [Int64] = []) {
        self.output = output
        self.writes = writes
        self.routes = routes
        self.waiting = waiting
        self.consumedSignals = consumedSignals
    }
}

extension JSON {
    /// Resolves a path against a step's scope: `state.x`, `input.x`, `item.x`, `index`, or a bare
    /// state key (`x` means `state.x`).
    func lookup(_ path: StatePath) -> JSON? {
        switch path.rootKey {
        case "state", "input", "item", "index": return path.value(in: self)
        default: return self["state"].flatMap { path.value(in: $0) }
        }
    }
}
