/// Which actions a rule applies to: kinds of operation, each with globs over the names it
/// applies to (the tool, model, namespace, target agent or host), and for tool calls the risk
/// and effect of the tool.
///
/// ```swift
/// // Every call of a refund tool whose risk is at least medium:
/// let refunds = ActionMatch([.tool: [try Glob("refund_*")]], risk: .atLeast(.medium))
/// // Every memory write, to any namespace:
/// let writes = ActionMatch([.memoryWrite: [.any]])
/// ```
public struct ActionMatch: Sendable, Hashable {
    /// For each kind the rule applies to, the globs of which one must match the name. Empty: every
    /// kind and name (but see ``risk`` and ``effects``, which only tool calls have).
    public let names: [PolicyAction.Kind: [Glob]]
    /// The tool's risk; set, only tool calls match.
    public let risk: RiskMatch?
    /// The tool's effect must be one of these; set, only tool calls match.
    public let effects: Set<ToolEffect>?
    /// The globs of each kind by ``PolicyAction/Kind/number``: `nil` for a kind the rule skips.
    let table: [[Glob]?]
    /// Whether only tool calls match, and the risks and effects they may have, as bits (see
    /// ``ToolRisk/bit``).
    private let toolsOnly: Bool
    private let riskBits: UInt8
    private let effectBits: UInt8

    /// The risks and effects it admits, every bit set when it does not care.
    var toolBits: (risks: UInt8, effects: UInt8) { toolsOnly ? (riskBits, effectBits) : (.max, .max) }

    /// Every action.
    public static let any = ActionMatch()

    /// A match on the kinds and names in `names` (empty: every action), and for tool calls on
    /// `risk` and `effects`.
    public init(_ names: [PolicyAction.Kind: [Glob]] = [:], risk: RiskMatch? = nil, effects: Set<ToolEffect>? = nil) {
        self.names = names
        self.risk = risk
        self.effects = effects
        let toolsOnly = risk != nil || effects != nil
        self.toolsOnly = toolsOnly
        self.riskBits = ToolRisk.allCases.filter { risk?.matches($0) ?? true }.reduce(0) { $0 | $1.bit }
        self.effectBits = ToolEffect.allCases.filter { effects?.contains($0) ?? true }.reduce(0) { $0 | $1.bit }
        self.table = PolicyAction.Kind.allCases.map { kind in
            if names.isEmpty { return toolsOnly && kind != .tool ? nil : [.any] }
            return names[kind]
        }
    }

    /// The kinds of action this applies to, in ``PolicyAction/Kind/allCases`` order.
    public var kinds: [PolicyAction.Kind] {
        PolicyAction.Kind.allCases.filter { table[$0.number] != nil }
    }

    /// Whether `action` is one this rule applies to.
    public func matches(_ action: PolicyAction) -> Bool {
        guard let globs = table[action.kind.number], globs.matchesAny(action.name) else { return false }
        return matchesTool(action.operation)
    }

    /// The risk and effect conditions, for an action whose kind and name already match.
    func matchesTool(_ operation: PolicyAction.Operation) -> Bool {
        guard toolsOnly else { return true }
        guard case let .toolCall(_, risk, effect) = operation else { return false }
        return riskBits & risk.bit != 0 && effectBits & effect.bit != 0
    }

    /// Whether every action `other` matches, this matches too (when that can be shown).
    func covers(_ other: ActionMatch) -> Bool {
        for kind in PolicyAction.Kind.allCases {
            guard let theirs = other.table[kind.number] else { continue }
            guard let mine = table[kind.number], [Glob].covers(mine, theirs) else { return false }
        }
        if let risk, !(other.risk.map(risk.covers) ?? false) { return false }
        if let effects, !(other.effects.map { $0.isSubset(of: effects) } ?? false) { return false }
        return true
    }

    /// Whether some action could match both.
    func mayOverlap(_ other: ActionMatch) -> Bool {
        let names = PolicyAction.Kind.allCases.contains { kind in
            guard let mine = table[kind.number], let theirs = other.table[kind.number] else { return false }
            return [Glob].mayOverlap(mine, theirs)
        }
        guard names else { return false }
        if let risk, let theirs = other.risk, !risk.mayOverlap(theirs) { return false }
        if let effects, let theirs = other.effects, effects.isDisjoint(with: theirs) { return false }
        return true
    }
}

extension ToolRisk {
    /// One bit per risk, for sets of them.
    var bit: UInt8 {
        switch self {
        case .low: return 1
        case .medium: return 2
        case .high: return 4
        }
    }
}

extension ToolEffect {
    /// One bit per effect, for sets of them.
    var bit: UInt8 {
        switch self {
        case .pure: return 1
        case .readOnly: return 2
        case .idempotent: return 4
        case .sideEffecting: return 8
        }
    }
}

/// A condition on a tool's ``ToolRisk``.
public enum RiskMatch: Sendable, Hashable, CustomStringConvertible {
    /// This risk or a higher one: `.atLeast(.medium)` is medium and high.
    case atLeast(ToolRisk)
    /// This risk only.
    case exactly(ToolRisk)

    /// Whether a tool of `risk` meets the condition.
    public func matches(_ risk: ToolRisk) -> Bool {
        switch self {
        case let .atLeast(minimum): return risk >= minimum
        case let .exactly(expected): return risk == expected
        }
    }

    /// The risks it matches, lowest first.
    var risks: [ToolRisk] { ToolRisk.allCases.filter(matches) }

    func covers(_ other: RiskMatch) -> Bool { other.risks.allSatisfy(matches) }

    func mayOverlap(_ other: RiskMatch) -> Bool { other.risks.contains(where: matches) }

    public var description: String {
        switch self {
        case let .atLeast(risk): return "at least \(risk)"
        case let .exactly(risk): return "exactly \(risk)"
        }
    }
}
