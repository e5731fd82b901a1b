/// What the guardrails of one stage found in some content, and what follows from it.
///
/// The ``decision`` follows from the findings' actions: deny wins over approval, which wins
/// over redaction; with no findings the content is allowed. Redactions accumulate: whatever
/// the decision, ``redacted(_:)`` replaces what every redacting guardrail found.
///
/// ```swift
/// let verdict = await guardrails.check(.text(answer), stage: .output)
/// switch verdict.decision {
/// case .allow: send(answer)
/// case .redact: send(verdict.redacted(.text(answer)).text)
/// case let .requireApproval(roles): park(verdict, roles)
/// case let .deny(reason): refuse(reason)
/// }
/// ```
public struct GuardrailVerdict: Sendable, Hashable {
    /// The stage the content was checked at.
    public var stage: GuardrailStage
    /// Everything found, guardrail by guardrail in the order they ran.
    public var findings: [GuardrailFinding]

    /// A verdict on content at `stage`; no findings means the content is allowed.
    public init(stage: GuardrailStage, findings: [GuardrailFinding] = []) {
        self.stage = stage
        self.findings = findings
    }

    /// True when some guardrail found something.
    public var tripped: Bool { !findings.isEmpty }

    /// What to do with the content: the strongest action among the findings.
    public var decision: GuardrailDecision {
        guard let strongest = findings.map(\.action.rank).max() else { return .allow }
        switch strongest {
        case GuardrailAction.deny.rank:
            let denials = findings.filter { $0.action == .deny }
            var reason = "refused by guardrails: " + denials.prefix(3).map(\.summary).joined(separator: "; ")
            if denials.count > 3 { reason += "; and \(denials.count - 3) more" }
            return .deny(reason: reason)
        case GuardrailAction.redact.rank:
            return .redact
        default:
            var roles: [String] = []
            for finding in findings {
                if case let .requireApproval(role) = finding.action, !roles.contains(role) { roles.append(role) }
            }
            return .requireApproval(roles: roles)
        }
    }

    /// `content` with what every redacting guardrail found replaced by `[REDACTED:KIND]`, in
    /// strings and in strings anywhere inside JSON (object keys stay as they are; a redacted
    /// integer becomes a string). Pass the content that was checked: the findings' paths and
    /// ranges point into it.
    public func redacted(_ content: GuardrailContent) -> GuardrailContent {
        let redactions = findings.filter { $0.action == .redact && $0.range != nil }
        guard !redactions.isEmpty else { return content }
        switch content {
        case let .text(text):
            return .text(GuardrailRedaction.redact(text, redactions.filter { $0.path.isEmpty }))
        case let .json(value):
            return .json(GuardrailRedaction.redact(value, redactions))
        }
    }

    /// Findings listed in full in ``json``; the rest are counted.
    public static let findingsShown = 50

    /// The data of a `guardrail.tripped` event: the stage, the decision (with the reason or the
    /// roles), and the findings with their masked excerpts.
    public var json: JSON {
        var members: [String: JSON] = [
            "stage": .string(stage.rawValue), "decision": .string(decision.name),
            "findings": .array(findings.prefix(Self.findingsShown).map(\.json)),
        ]
        switch decision {
        case let .deny(reason): members["reason"] = .string(reason)
        case let .requireApproval(roles): members["roles"] = .array(roles.map(JSON.string))
        case .allow, .redact: break
        }
        if findings.count > Self.findingsShown { members["more_findings"] = .int(findings.count - Self.findingsShown) }
        return .object(members)
    }
}
