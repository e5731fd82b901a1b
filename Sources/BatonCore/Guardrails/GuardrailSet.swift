/// Guardrails in order, run together over the content of one stage.
///
/// ```swift
/// let guardrails = try GuardrailSet([
///     DetectorGuardrail("no_pii_out", detecting: GuardrailDetector.pii, stages: [.output, .finalAnswer], action: .redact),
///     DetectorGuardrail("no_secrets", detecting: GuardrailDetector.secrets),
///     try MaxLengthGuardrail("short", maxCharacters: 4000, stages: [.output]),
/// ])
/// let verdict = await guardrails.check(.text(answer), stage: .output)
/// ```
///
/// Every guardrail of the stage runs, in order, so that the verdict records everything found;
/// the built-ins each take time linear in the content's length. A guardrail that throws counts
/// as a denial (`guardrail_error`): an error never lets content through.
public struct GuardrailSet: Sendable {
    /// The guardrails, in order.
    public let guardrails: [any Guardrail]
    /// For each stage, the guardrails that check it, in order.
    private let byStage: [GuardrailStage: [any Guardrail]]

    /// No guardrails: everything is allowed.
    public static let empty = GuardrailSet(checked: [])

    /// A set of `guardrails`, run in this order.
    ///
    /// - Throws: ``GuardrailError/duplicateName(_:)`` when two have the same name.
    public init(_ guardrails: [any Guardrail]) throws(GuardrailError) {
        var names: Set<String> = []
        for guardrail in guardrails where !names.insert(guardrail.name).inserted {
            throw .duplicateName(guardrail.name)
        }
        self.init(checked: guardrails)
    }

    private init(checked guardrails: [any Guardrail]) {
        self.guardrails = guardrails
        var byStage: [GuardrailStage: [any Guardrail]] = [:]
        for stage in GuardrailStage.allCases {
            byStage[stage] = guardrails.filter { $0.stages.contains(stage) }
        }
        self.byStage = byStage
    }

    /// The guardrails' names, in order.
    public var names: [String] { guardrails.map(\.name) }

    /// True when some guardrail checks `stage`: when none does, the caller may skip the check.
    public func applies(to stage: GuardrailStage) -> Bool {
        byStage[stage]?.isEmpty == false
    }

    /// The guardrails named in `names`, in the set's order (an agent's selection).
    ///
    /// - Throws: ``GuardrailError/unknownGuardrail(_:known:)`` for a name the set does not have.
    public func selecting(_ names: [String]) throws(GuardrailError) -> GuardrailSet {
        let known = self.names
        for name in names where !known.contains(name) {
            throw .unknownGuardrail(name, known: known)
        }
        return GuardrailSet(checked: guardrails.filter { names.contains($0.name) })
    }

    /// Runs every guardrail that checks `stage` over `content`, in order, and combines what
    /// they found. Never throws: a guardrail's error becomes a denying finding.
    public func check(_ content: GuardrailContent, stage: GuardrailStage) async -> GuardrailVerdict {
        var verdict = GuardrailVerdict(stage: stage)
        for guardrail in byStage[stage] ?? [] {
            do {
                verdict.findings += try await guardrail.check(content, stage: stage).findings
            } catch {
                verdict.findings.append(GuardrailFinding(
                    guardrail: guardrail.name, kind: "guardrail_error", action: .deny,
                    detail: "the guardrail failed, so the content is refused: \(error)"
                ))
            }
        }
        return verdict
    }
}
