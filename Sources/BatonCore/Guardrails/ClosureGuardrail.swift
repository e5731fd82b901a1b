/// A guardrail from a name, its stages, its action and a closure that finds things: for checks
/// of your own (a moderation model, a list of customer names, a rule about your domain).
///
/// ```swift
/// let noCompetitors = ClosureGuardrail("no_competitors", stages: [.output, .finalAnswer], action: .redact) { content, _ in
///     let text = content.text
///     guard let found = text.firstRange(of: "Acme Corp") else { return [] }
///     let start = text.utf8.distance(from: text.startIndex, to: found.lowerBound)
///     return [GuardrailFinding(kind: "competitor", range: start..<start + 9, excerpt: "Acme****")]
/// }
/// ```
///
/// Each finding the closure returns gets the guardrail's name and action. Give a range (UTF-8
/// offsets) for findings the guardrail should be able to redact, and mask the excerpt
/// (``GuardrailFinding/mask(_:prefix:suffix:)``). A closure that throws denies the content.
public struct ClosureGuardrail: Guardrail {
    /// The guardrail's name, unique in its set.
    public let name: String
    /// The stages it checks.
    public let stages: Set<GuardrailStage>
    /// What the guardrail does with what the closure finds.
    public let action: GuardrailAction
    private let body: @Sendable (GuardrailContent, GuardrailStage) async throws -> [GuardrailFinding]

    /// A guardrail named `name` that checks `stages` with `body` and does `action` with what it finds.
    public init(
        _ name: String, stages: Set<GuardrailStage> = GuardrailStage.all, action: GuardrailAction = .deny,
        _ body: @escaping @Sendable (GuardrailContent, GuardrailStage) async throws -> [GuardrailFinding]
    ) {
        self.name = name
        self.stages = stages
        self.action = action
        self.body = body
    }

    /// Runs the closure; each finding gets this guardrail's name and action.
    public func check(_ content: GuardrailContent, stage: GuardrailStage) async throws -> GuardrailVerdict {
        let findings = try await body(content, stage).map { finding in
            var stamped = finding
            stamped.guardrail = name
            stamped.action = action
            return stamped
        }
        return GuardrailVerdict(stage: stage, findings: findings)
    }
}
