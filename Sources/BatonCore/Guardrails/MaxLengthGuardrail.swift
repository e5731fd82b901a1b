/// A guardrail that trips on content longer than a number of characters: an answer that
/// rambles, a tool result too large to hand a model.
///
/// ```swift
/// let short = try MaxLengthGuardrail("short", maxCharacters: 4000, stages: [.output])
/// ```
///
/// Characters are what people see (`Character`, extended grapheme clusters): `é` and `👩‍👩‍👧`
/// count one each, however many bytes or code points they take. Text counts itself; JSON
/// content counts its canonical JSON text. The finding's range starts at the first character
/// beyond the limit. The content is left whole, so the guardrail denies or asks for approval;
/// it cannot redact.
public struct MaxLengthGuardrail: Guardrail {
    /// The guardrail's name, unique in its set.
    public let name: String
    /// The most characters the content may have.
    public let maxCharacters: Int
    /// The stages it checks.
    public let stages: Set<GuardrailStage>
    /// What the guardrail does with content that is too long.
    public let action: GuardrailAction

    /// A guardrail named `name` that allows at most `maxCharacters` at `stages` and does `action` beyond.
    ///
    /// - Throws: ``GuardrailError/invalidSetting(guardrail:reason:)`` for a limit below 1, and
    ///   ``GuardrailError/unsupportedAction(guardrail:action:reason:)`` for ``GuardrailAction/redact``.
    public init(
        _ name: String, maxCharacters: Int, stages: Set<GuardrailStage> = GuardrailStage.all, action: GuardrailAction = .deny
    ) throws(GuardrailError) {
        guard maxCharacters >= 1 else {
            throw .invalidSetting(guardrail: name, reason: "the maximum length must be at least 1 character, not \(maxCharacters)")
        }
        if action == .redact {
            throw .unsupportedAction(guardrail: name, action: action, reason: "a maximum length finds no part of the content to hide")
        }
        self.name = name
        self.maxCharacters = maxCharacters
        self.stages = stages
        self.action = action
    }

    /// The verdict of ``findings(in:)``; never suspends.
    public func check(_ content: GuardrailContent, stage: GuardrailStage) async -> GuardrailVerdict {
        GuardrailVerdict(stage: stage, findings: findings(in: content))
    }

    /// Whether `content` is too long, without suspending.
    public func findings(in content: GuardrailContent) -> [GuardrailFinding] {
        guard !content.isTooDeep else { return [GuardrailContent.tooDeep(guardrail: name)] }
        let text: String
        switch content {
        case let .text(value): text = value
        case let .json(value): text = value.canonicalString
        }
        // No more characters than bytes: most content is let through without counting.
        guard text.utf8.count > maxCharacters else { return [] }
        let count: Int
        let start: Int
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) {
            // ASCII without "\r\n" (the one pair of ASCII characters that is one character): a byte each.
            (count, start) = (text.utf8.count, maxCharacters)
        } else {
            guard let cut = text.index(text.startIndex, offsetBy: maxCharacters, limitedBy: text.endIndex), cut < text.endIndex else { return [] }
            (count, start) = (maxCharacters + text[cut...].count, text.utf8.distance(from: text.startIndex, to: cut))
        }
        return [GuardrailFinding(
            guardrail: name, kind: "max_length", action: action, range: start..<text.utf8.count,
            detail: "\(count) characters, at most \(maxCharacters)"
        )]
    }
}
