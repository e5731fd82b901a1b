/// One thing a guardrail found: what, where, a masked excerpt, and what the guardrail does about it.
///
/// A finding never holds what it found in full: its ``excerpt`` shows a few characters (the
/// `sk-proj-` of a key, the last four digits of a card) and masks the rest, so that findings
/// can go into events, logs and refusals without leaking what the guardrail is there to stop.
///
/// ```swift
/// // In "mail ada@example.com":
/// // kind "email", path "", range 5..<20, excerpt "a**@example.com"
/// ```
public struct GuardrailFinding: Sendable, Hashable {
    /// The name of the guardrail that found it.
    public var guardrail: String
    /// What was found: a detector's kind (`email`, `payment_card`, `secret.openai_key`, …),
    /// `deny_pattern`, `max_length`, `schema`, `nesting` (JSON too deep to look inside),
    /// `guardrail_error` (a guardrail that failed), or a custom guardrail's own kind.
    public var kind: String
    /// What the guardrail does about it.
    public var action: GuardrailAction
    /// A JSON Pointer to the string (or integer) of JSON content it is in; empty for text content
    /// and for findings about the content as a whole.
    public var path: String
    /// The UTF-8 byte offsets of what was found, in the text or in the string at ``path`` (an
    /// integer's decimal digits); `nil` for findings about the whole (a schema error, a length).
    /// Redaction replaces exactly these bytes.
    public var range: Range<Int>?
    /// What was found, masked: never the whole of it.
    public var excerpt: String
    /// Why, in words, when the kind does not say it all: "5,000 characters, at most 4,000".
    public var detail: String?

    /// Creates a finding. A custom guardrail's findings get its name and action from
    /// ``ClosureGuardrail``; build the excerpt with ``mask(_:prefix:suffix:)``.
    public init(
        guardrail: String = "", kind: String, action: GuardrailAction = .deny, path: String = "", range: Range<Int>? = nil,
        excerpt: String = "", detail: String? = nil
    ) {
        self.guardrail = guardrail
        self.kind = kind
        self.action = action
        self.path = path
        self.range = range
        self.excerpt = excerpt
        self.detail = detail
    }

    /// Stars shown for the hidden part of an excerpt, at most; more are written as `…`.
    public static let maximumStars = 16

    /// `text` with all but its first `prefix` and last `suffix` characters replaced by `*`. At
    /// least half of the characters are always hidden, whatever `prefix` and `suffix` ask.
    ///
    /// ```swift
    /// GuardrailFinding.mask("4111 1111 1111 1111", suffix: 4)  // "***************1111"
    /// GuardrailFinding.mask("sk-proj-Xk2…", prefix: 8)           // "sk-proj-****************…"
    /// ```
    public static func mask(_ text: some StringProtocol, prefix: Int = 0, suffix: Int = 0) -> String {
        let count = text.count
        let shown = min(max(0, prefix) + max(0, suffix), count / 2)
        let head = min(max(0, prefix), shown)
        let tail = min(max(0, suffix), shown - head)
        let hidden = count - head - tail
        var excerpt = String(text.prefix(head))
        excerpt += String(repeating: "*", count: min(hidden, maximumStars))
        if hidden > maximumStars { excerpt += "…" }
        excerpt += text.suffix(tail)
        return excerpt
    }

    /// The finding in a line, for refusals: `no_secrets: secret.openai_key at /key (sk-proj-****…)`.
    public var summary: String {
        var line = "\(guardrail): \(kind)"
        if !path.isEmpty { line += " at \(path)" }
        if !excerpt.isEmpty { line += " (\(excerpt))" }
        if let detail { line += ": \(detail)" }
        return line
    }

    /// The finding as a member of a `guardrail.tripped` event.
    public var json: JSON {
        var members: [String: JSON] = [
            "guardrail": .string(guardrail), "kind": .string(kind), "action": action.json, "path": .string(path),
        ]
        if let range { members["range"] = [.int(range.lowerBound), .int(range.upperBound)] }
        if !excerpt.isEmpty { members["excerpt"] = .string(excerpt) }
        if let detail { members["detail"] = .string(detail) }
        return .object(members)
    }
}
