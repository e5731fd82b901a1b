/// Replaces what redacting guardrails found: `[REDACTED:KIND]` in place of each range, in a
/// text or in the strings of a JSON value.
enum GuardrailRedaction {
    /// The marker that replaces what a finding of `kind` covered.
    static func marker(_ kind: String) -> String { "[REDACTED:\(kind)]" }

    /// `text` with the ranges of `findings` replaced. Overlapping ranges merge into one marker,
    /// named after the finding that starts first (the longest, at equal starts). Ranges beyond
    /// the text are clipped.
    static func redact(_ text: String, _ findings: [GuardrailFinding]) -> String {
        let bytes = Array(text.utf8)
        let ranges = findings.compactMap { finding in
            finding.range.map { (range: $0.clamped(to: 0..<bytes.count), kind: finding.kind) }
        }.filter { !$0.range.isEmpty }.sorted {
            ($0.range.lowerBound, -$0.range.upperBound) < ($1.range.lowerBound, -$1.range.upperBound)
        }
        guard !ranges.isEmpty else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var copied = 0
        var index = 0
        while index < ranges.count {
            let (first, kind) = ranges[index]
            var end = first.upperBound
            index += 1
            while index < ranges.count, ranges[index].range.lowerBound < end {
                end = max(end, ranges[index].range.upperBound)
                index += 1
            }
            out += bytes[copied..<first.lowerBound]
            out += marker(kind).utf8
            copied = end
        }
        out += bytes[copied...]
        // Ranges a custom guardrail gave in the middle of a character leave invalid UTF-8 behind,
        // which decoding repairs (as U+FFFD).
        return String(decoding: out, as: UTF8.self)
    }

    /// `value` with the findings applied where their paths point: in strings, and in integers,
    /// which become strings. Other values, keys and paths that lead nowhere are left alone.
    static func redact(_ value: JSON, _ findings: [GuardrailFinding]) -> JSON {
        var tree = Tree()
        for finding in findings {
            guard let tokens = SchemaPointer.tokens(finding.path) else { continue }
            tree.insert(finding, at: tokens[...])
        }
        return tree.apply(to: value)
    }

    /// The findings arranged by the tokens of their paths, so that one walk applies them all and
    /// copies only the containers on the way to them.
    private struct Tree {
        var findings: [GuardrailFinding] = []
        var children: [String: Tree] = [:]

        mutating func insert(_ finding: GuardrailFinding, at tokens: ArraySlice<String>) {
            guard let first = tokens.first else {
                findings.append(finding)
                return
            }
            children[first, default: Tree()].insert(finding, at: tokens.dropFirst())
        }

        func apply(to value: JSON) -> JSON {
            switch value {
            case let .string(text) where !findings.isEmpty:
                return .string(GuardrailRedaction.redact(text, findings))
            case let .int(number) where !findings.isEmpty:
                return .string(GuardrailRedaction.redact(String(number), findings))
            case var .array(elements) where !children.isEmpty:
                for (token, child) in children {
                    guard let index = Int(token), elements.indices.contains(index) else { continue }
                    elements[index] = child.apply(to: elements[index])
                }
                return .array(elements)
            case var .object(members) where !children.isEmpty:
                for (key, child) in children {
                    guard let member = members[key] else { continue }
                    members[key] = child.apply(to: member)
                }
                return .object(members)
            default:
                return value
            }
        }
    }
}
