/// A new policy tried on what runs did: every action recorded in a run's journal (each model call,
/// each tool call a model asked for, each `tool` node's call, each hand-off) is decided again by
/// the new policies, and compared with what was decided then (its `policy.decided` event, or
/// "allowed, no policy decided" when there was none).
///
/// ```swift
/// let changes = PolicyDryRun(engine: PolicyEngine([candidate])).changes(in: events, workflow: "support")
/// ```
public struct PolicyDryRun: Sendable {
    public let engine: PolicyEngine
    /// The environment the subjects are given (`EngineOptions.environment` of the runs).
    public let environment: String?

    public init(engine: PolicyEngine, environment: String? = nil) {
        self.engine = engine
        self.environment = environment
    }

    /// One action whose decision would change.
    public struct Change: Sendable, Hashable {
        /// The event that recorded the action.
        public var seq: Int
        public var kind: PolicyAction.Kind
        public var name: String
        public var agent: String?
        public var arguments: JSON
        /// `allow`, `deny`, `require_approval` or `redact`: then, and with the new policies.
        public var before: String
        public var after: String
        /// The new decision's reason, and the rule that makes it (`nil`: a default).
        public var reason: String
        public var rule: String?

        public var json: JSON {
            [
                "seq": .int(seq), "kind": .string(kind.rawValue), "name": .string(name), "agent": agent.map(JSON.string) ?? .null,
                "arguments": arguments, "before": .string(before), "after": .string(after), "reason": .string(reason),
                "rule": rule.map(JSON.string) ?? .null,
            ]
        }
    }

    /// What a run did and what the new policies make of it.
    public struct Report: Sendable {
        /// Actions decided again.
        public var actions: Int
        public var changes: [Change]
    }

    /// Decides again every action of one run's `events` (in order), a run of `workflow`.
    public func report(_ events: [Event], workflow: String) -> Report {
        let contracts = Self.contracts(events)
        // The run's tags, as its first event (`run.started` or `run.forked`) recorded them.
        let tags = events.first?.data["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
        // Tool nodes' calls as their receipts recorded them (refused or parked), once per step;
        // the tool events of those steps are the same calls.
        var receiptSteps: Set<String> = []
        var report = Report(actions: 0, changes: [])
        for event in events {
            for action in Self.actions(in: event, contracts: contracts, receiptSteps: &receiptSteps) {
                report.actions += 1
                let subject = PolicySubject(agent: action.agent, workflow: workflow, environment: environment, tags: tags)
                let receipt = engine.decide(subject, PolicyAction(action.operation, arguments: action.arguments))
                let before = Self.decisionThen(of: action, in: events)
                if receipt.verdict.name != before {
                    report.changes.append(Change(
                        seq: event.seq, kind: action.operation.kind, name: action.operation.name, agent: action.agent, arguments: action.arguments,
                        before: before, after: receipt.verdict.name, reason: receipt.reason, rule: receipt.rule
                    ))
                }
            }
        }
        return report
    }

    private struct RecordedAction {
        var operation: PolicyAction.Operation
        var arguments: JSON
        var agent: String?
        /// Where its `policy.decided` event says it was decided: the step (for a tool call of an
        /// agent, the call's branch `STEP/tTURN.INDEX`), and the turn for a model call or hand-off.
        var step: String?
        var turn: Int?
    }

    /// The actions one event records: a model call and the calls it asked for; a tool node's call.
    private static func actions(in event: Event, contracts: [String: (ToolRisk, ToolEffect)], receiptSteps: inout Set<String>) -> [RecordedAction] {
        let agent = event.data["agent"]?.stringValue
        let step = event.data["step"]?.stringValue
        switch event.type {
        case .modelCalled:
            let turn = event.data["turn"]?.intValue
            var actions: [RecordedAction] = []
            if let reference = event.data["reference"]?.stringValue {
                actions.append(RecordedAction(operation: .modelCall(model: reference), arguments: event.data["parameters"] ?? [:], agent: agent, step: step, turn: turn))
            }
            for (index, call) in (event.data["tool_calls"]?.arrayValue ?? []).enumerated() {
                guard let name = call["name"]?.stringValue else { continue }
                let arguments = call["arguments"]?.stringValue.flatMap { try? JSON(parsing: $0) } ?? [:]
                if name.hasPrefix("transfer_to_") {
                    let target = String(name.dropFirst("transfer_to_".count))
                    actions.append(RecordedAction(operation: .handoff(to: target), arguments: arguments, agent: agent, step: step, turn: turn))
                } else {
                    let (risk, effect) = contracts[name] ?? (.medium, .sideEffecting)
                    let branch = step.flatMap { step in turn.map { "\(step)/t\($0).\(index)" } }
                    actions.append(RecordedAction(operation: .toolCall(name: name, risk: risk, effect: effect), arguments: arguments, agent: agent, step: branch))
                }
            }
            return actions
        case .toolSucceeded, .toolFailed:
            // A `tool` node's own call (an agent's calls are in its model calls, in a branch `…/tN.M`).
            guard let step = event.data["step"]?.stringValue ?? event.data["idempotency_key"]?.stringValue, !step.contains("/t"),
                event.data["attempt"]?.intValue ?? 1 == 1, let name = event.data["tool"]?.stringValue, !receiptSteps.contains(step)
            else { return [] }
            let (risk, effect) = contracts[name] ?? (.medium, .sideEffecting)
            return [RecordedAction(operation: .toolCall(name: name, risk: risk, effect: effect), arguments: event.data["arguments"] ?? [:], agent: nil, step: step)]
        case .policyDecided:
            // A `tool` node's call that was refused or parked for an approval: its receipt holds the call.
            guard event.data["stage"] == "before", event.data["action"]?["kind"] == "tool", let arguments = event.data["arguments"],
                let name = event.data["action"]?["name"]?.stringValue, let step, receiptSteps.insert(step).inserted
            else { return [] }
            let risk = event.data["risk"]?.stringValue.flatMap(ToolRisk.init(rawValue:)) ?? .medium
            let effect = event.data["effect"]?.stringValue.flatMap(ToolEffect.init(rawValue:)) ?? .sideEffecting
            return [RecordedAction(operation: .toolCall(name: name, risk: risk, effect: effect), arguments: arguments, agent: nil, step: step)]
        default:
            return []
        }
    }

    /// Each tool's risk and effect, as its calls recorded them.
    private static func contracts(_ events: [Event]) -> [String: (ToolRisk, ToolEffect)] {
        var contracts: [String: (ToolRisk, ToolEffect)] = [:]
        for event in events where event.type == .toolSucceeded || event.type == .toolFailed {
            guard let name = event.data["tool"]?.stringValue, let risk = event.data["risk"]?.stringValue.flatMap(ToolRisk.init(rawValue:)),
                let effect = event.data["effect"]?.stringValue.flatMap(ToolEffect.init(rawValue:))
            else { continue }
            contracts[name] = (risk, effect)
        }
        return contracts
    }

    /// What was decided about `action` then: its `policy.decided` event (same step, turn and
    /// action), or `allow` when the run had no policy that decided it.
    private static func decisionThen(of action: RecordedAction, in events: [Event]) -> String {
        let operation = action.operation
        for event in events where event.type == .policyDecided && event.data["stage"] == "before" {
            guard event.data["action"]?["kind"]?.stringValue == operation.kind.rawValue, event.data["action"]?["name"]?.stringValue == operation.name,
                event.data["step"]?.stringValue == action.step, event.data["turn"]?.intValue == action.turn
            else { continue }
            return event.data["decision"]?.stringValue ?? "allow"
        }
        return "allow"
    }
}
