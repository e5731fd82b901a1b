import Synchronization

/// What a node's code sees while it runs: the state at the start of its superstep, its position,
/// and ``effect(_:_:)``, the way to make outside calls safe to repeat.
public struct StepContext: Sendable {
    public let run: RunID
    /// `superstep.position`, stable across re-executions.
    public let step: String
    public let node: String
    /// 1 for the first attempt.
    public let attempt: Int
    /// The run's state when the superstep began (parallel siblings do not see each other's writes).
    public let state: JSON
    /// The run's input.
    public let input: JSON
    /// Inside a `map`: the element, and its position.
    public let item: JSON?
    public let index: Int?
    /// Why the earlier attempts of this step failed, oldest first (empty on the first attempt):
    /// an agent told that its answer failed the step's success criterion can answer better.
    public let previousFailures: [NodeError]

    let journal: StepJournal
    /// What the step may still spend and has spent (for steps that call models or tools).
    let ledger: BudgetLedger?
    /// How the run watches for loops.
    let loops: LoopDetection
    /// The policies the step's actions are checked against.
    let governance: Governance?

    init(
        run: RunID, step: String, node: String, attempt: Int, state: JSON, input: JSON, item: JSON?, index: Int?, journal: StepJournal,
        previousFailures: [NodeError] = [], ledger: BudgetLedger? = nil, loops: LoopDetection = .default, governance: Governance? = nil
    ) {
        self.run = run
        self.step = step
        self.node = node
        self.attempt = attempt
        self.state = state
        self.input = input
        self.item = item
        self.index = index
        self.journal = journal
        self.previousFailures = previousFailures
        self.ledger = ledger
        self.loops = loops
        self.governance = governance
    }

    /// The scope that expressions, templates and copies resolve against.
    public var scope: JSON {
        var members: [String: JSON] = ["state": state, "input": input]
        if let item { members["item"] = item }
        if let index { members["index"] = .int(index) }
        return .object(members)
    }

    /// Adds an event to the step's record: it is committed with the step's result, in the order
    /// recorded (tool calls, model calls and decisions made inside the step use this).
    public func record(_ type: EventType, _ data: JSON) {
        journal.append(EventDraft(type, data))
    }

    /// Runs an outside call at most once per step, durably.
    ///
    /// The first time, `body` runs and its result is journaled before this returns. If the step is
    /// executed again (after a crash, or in a retry), the journaled result is returned and `body`
    /// does not run. `body` receives the effect's idempotency key, `run/step/index`: pass it to
    /// the outside system so that it can discard a second arrival, which can only happen when a
    /// crash falls between the call and its journal commit.
    ///
    /// Effects are numbered in call order: keep that order deterministic (await them one by one, or
    /// give concurrent ones distinct names, which are part of the journal's record).
    public func effect<T: Codable & Sendable>(
        _ name: String = "effect", _ body: @Sendable (_ idempotencyKey: String) async throws -> T
    ) async throws -> T {
        try await effect(name, recordedAs: .effectRecorded, body).value
    }

    /// ``effect(_:_:)``, journaled with an event of type `type` (whose data, for a type other than
    /// `effect.recorded`, are the members of the journaled object, `extra`, and the journal's step,
    /// index and key), saying whether the value was replayed from the journal.
    func effect<T: Codable & Sendable>(
        _ name: String, recordedAs type: EventType, extra: [String: JSON] = [:], _ body: @Sendable (_ idempotencyKey: String) async throws -> T
    ) async throws -> (value: T, replayed: Bool) {
        let index = journal.nextIndex()
        let key = run.rawValue + "/" + step + "/" + String(index)
        if let recorded = try await journal.recorded(index) {
            // JSON needs no decoding (tool and model results are JSON).
            if T.self == JSON.self, let value = recorded as? T { return (value, true) }
            return (try recorded.decode(T.self), true)
        }
        let value = try await body(key)
        let json = try T.self == JSON.self ? (value as? JSON ?? .null) : JSON(encoding: value)
        try await journal.record(index: index, name: name, key: key, value: json, as: type, extra: extra)
        return (value, false)
    }
}

/// The journal of one step: its effects (what was journaled before, read from the store on the
/// first effect so that steps without effects cost no read, and the counter of this execution),
/// and the events its code recorded since the step executor last took them.
final class StepJournal: Sendable {
    private let state: Mutex<(counter: Int, recorded: [Int: JSON]?, events: [EventDraft])>
    let store: any Store
    let run: RunID
    let step: String

    init(store: any Store, run: RunID, step: String) {
        self.store = store
        self.run = run
        self.step = step
        self.state = Mutex((0, nil, []))
    }

    func nextIndex() -> Int {
        state.withLock { state in
            defer { state.counter += 1 }
            return state.counter
        }
    }

    /// Starts numbering again for a new attempt; recorded results stay.
    func restart() { state.withLock { $0.counter = 0 } }

    func append(_ event: EventDraft) { state.withLock { $0.events.append(event) } }

    /// The events recorded since the last call, oldest first.
    func takeEvents() -> [EventDraft] {
        state.withLock { state in
            defer { state.events = [] }
            return state.events
        }
    }

    func recorded(_ index: Int) async throws -> JSON? {
        if let recorded = state.withLock({ $0.recorded }) { return recorded[index] }
        let loaded = try await store.effects(run: run, step: step)
        return state.withLock { state in
            let merged = (state.recorded ?? [:]).merging(loaded) { current, _ in current }
            state.recorded = merged
            return merged[index]
        }
    }

    func record(index: Int, name: String, key: String, value: JSON, as type: EventType, extra: [String: JSON]) async throws {
        let data = EffectEventData(
            name: name, value: value, extra: type == .effectRecorded ? nil : extra, step: step, index: index, idempotencyKey: key
        )
        let event = EventDraft(type, payload: .effect(data), time: EventDraft.now())
        try await store.recordEffect(EffectRecord(run: run, step: step, index: index, name: name, value: value, event: event))
        state.withLock { _ = $0.recorded?.updateValue(value, forKey: index) }
    }
}
