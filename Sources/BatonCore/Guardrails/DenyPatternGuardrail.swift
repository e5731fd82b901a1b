/// A guardrail that trips on text matching regular expressions: words a workflow must not
/// say or act on (`wire transfer`), internal code names, formats of your own secrets.
///
/// ```swift
/// let noWire = try DenyPatternGuardrail("no_wire", patterns: ["(?i)wire transfer"], action: .requireApproval(role: "finance"))
/// ```
///
/// Patterns are ECMA-262 regular expressions, as in JSON Schema's `pattern`, run by Baton's
/// linear-time matcher: no pattern and no content can make it backtrack exponentially. A
/// pattern that starts with `(?i)` ignores the case of ASCII letters (a Baton extension:
/// ECMA-262 has flags instead): it is matched, its letters in lowercase, against the text with
/// its ASCII letters in lowercase, so a class of capitals such as `\p{Lu}` finds none of them. Backreferences and `\p{…}` script properties are not
/// supported. Each match is located, so a deny pattern can deny, require approval, or redact;
/// a match of no characters does not count. Content longer than the matcher's memory budget
/// allows for a pattern (megabytes, for most patterns) is refused rather than let through.
public struct DenyPatternGuardrail: Guardrail {
    /// The guardrail's name, unique in its set.
    public let name: String
    /// The patterns as written.
    public let patterns: [String]
    /// The stages it checks.
    public let stages: Set<GuardrailStage>
    /// What the guardrail does with what it finds.
    public let action: GuardrailAction
    private let compiled: [(regex: SchemaRegex, starts: SchemaRegexStarts, ignoresCase: Bool)]

    /// A guardrail named `name` that matches `patterns` at `stages` and does `action` with each match.
    ///
    /// - Throws: ``GuardrailError/invalidPattern(guardrail:pattern:reason:)`` for a pattern that
    ///   is not a valid regular expression or uses what the matcher does not support.
    public init(
        _ name: String, patterns: [String], stages: Set<GuardrailStage> = GuardrailStage.all, action: GuardrailAction = .deny
    ) throws(GuardrailError) {
        var compiled: [(SchemaRegex, SchemaRegexStarts, Bool)] = []
        for pattern in patterns {
            let ignoresCase = pattern.hasPrefix("(?i)")
            let source = ignoresCase ? Self.foldingCase(String(pattern.dropFirst(4))) : pattern
            switch SchemaRegex.compile(source) {
            case let .compiled(regex):
                compiled.append((regex, SchemaRegexStarts(source), ignoresCase))
            case .unsupported:
                throw .invalidPattern(
                    guardrail: name, pattern: pattern,
                    reason: "it uses backreferences, a \\p{…} script property, or is too large, which the linear-time matcher does not support"
                )
            case .invalid:
                throw .invalidPattern(guardrail: name, pattern: pattern, reason: ExpressionRegex.invalidPatternReason(pattern))
            }
        }
        self.name = name
        self.patterns = patterns
        self.stages = stages
        self.action = action
        self.compiled = compiled
    }

    /// The verdict of ``findings(in:)``; never suspends.
    public func check(_ content: GuardrailContent, stage: GuardrailStage) async -> GuardrailVerdict {
        GuardrailVerdict(stage: stage, findings: findings(in: content))
    }

    /// What the patterns match in `content`, without suspending.
    public func findings(in content: GuardrailContent) -> [GuardrailFinding] {
        var tooLong = false
        var findings = content.findings(guardrail: name, action: action) { bytes, matches in
            var lowered: [UInt8]?
            for (regex, starts, ignoresCase) in compiled {
                guard regex.visitedBits(forLength: bytes.count) <= SchemaRegex.visitedBudget else {
                    tooLong = true
                    continue
                }
                let ranges: [Range<Int>]
                if ignoresCase {
                    let folded = lowered ?? Self.lowercased(bytes)
                    lowered = folded
                    ranges = folded.withUnsafeBufferPointer { regex.matchRanges(in: $0, startingWith: starts) }
                } else {
                    ranges = regex.matchRanges(in: bytes, startingWith: starts)
                }
                for range in ranges {
                    let shown = min(8, range.count / 3)
                    matches.append(TextMatch(kind: "deny_pattern", range: range, masking: .ends(prefix: shown, suffix: 0)))
                }
            }
        }
        if tooLong {
            findings.append(GuardrailFinding(
                guardrail: name, kind: "deny_pattern", action: .deny,
                detail: "the content is too long to match against the deny patterns within the memory budget, so it is refused"
            ))
        }
        return findings
    }

    /// `bytes` with ASCII letters in lowercase: still UTF-8, and of the same length, so that
    /// offsets stay where they were.
    private static func lowercased(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        bytes.map { $0.isUpper ? $0 + 0x20 : $0 }
    }

    /// A pattern that matches lowercased text wherever the original matches the text in any
    /// case: its ASCII letters in lowercase, except those that make an escape (`\D`, `\S`, `\W`,
    /// `\B`) and the names of `\p{…}` properties.
    static func foldingCase(_ pattern: String) -> String {
        var folded = ""
        var scalars = pattern.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\\", let escaped = scalars.next() else {
                folded.unicodeScalars.append(("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 0x20) ?? scalar : scalar)
                continue
            }
            folded.unicodeScalars.append(scalar)
            folded.unicodeScalars.append(escaped)
            guard escaped == "p" || escaped == "P" else { continue }
            while let inside = scalars.next() {
                folded.unicodeScalars.append(inside)
                if inside == "}" { break }
            }
        }
        return folded
    }
}
