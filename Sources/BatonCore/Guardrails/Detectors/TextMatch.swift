/// Something a scanner found in a text: its kind, its UTF-8 byte range, and how much of it an
/// excerpt may show.
struct TextMatch: Sendable {
    enum Masking: Sendable {
        /// Show the first `prefix` and last `suffix` characters (``GuardrailFinding/mask(_:prefix:suffix:)``).
        case ends(prefix: Int, suffix: Int)
        /// Show the local part's first character and the domain: `a**@example.com`.
        case email
    }

    var kind: String
    var range: Range<Int>
    var masking: Masking

    /// The masked excerpt of this match in `bytes`.
    func excerpt(in bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        switch masking {
        case let .ends(prefix, suffix):
            return GuardrailFinding.mask(text, prefix: prefix, suffix: suffix)
        case .email:
            guard let at = text.lastIndex(of: "@") else { return GuardrailFinding.mask(text) }
            return GuardrailFinding.mask(text[..<at], prefix: 1) + text[at...]
        }
    }
}

/// A scanner: appends what it finds in UTF-8 text to a list, in one pass.
typealias TextScanner = @Sendable (UnsafeBufferPointer<UInt8>, inout [TextMatch]) -> Void

extension GuardrailContent {
    /// The findings of `scan` over every text of this content, made by guardrail `guardrail`
    /// with `action`, in the order of the texts and, within one, of where they start. JSON too
    /// deep to walk is one denying `nesting` finding.
    func findings(guardrail: String, action: GuardrailAction, _ scan: (UnsafeBufferPointer<UInt8>, inout [TextMatch]) -> Void) -> [GuardrailFinding] {
        var findings: [GuardrailFinding] = []
        var matches: [TextMatch] = []
        let walked = forEachText { text, path in
            var text = text
            text.withUTF8 { bytes in
                matches.removeAll(keepingCapacity: true)
                scan(bytes, &matches)
                guard !matches.isEmpty else { return }
                matches.sort { $0.range.lowerBound < $1.range.lowerBound }
                let pointer = path.reduce(into: "") { $0 = SchemaPointer.appending($0, $1) }
                for match in matches {
                    findings.append(GuardrailFinding(
                        guardrail: guardrail, kind: match.kind, action: action, path: pointer, range: match.range,
                        excerpt: match.excerpt(in: bytes)
                    ))
                }
            }
        }
        return walked ? findings : [Self.tooDeep(guardrail: guardrail)]
    }
}

/// Byte classes of ASCII, for the scanners.
extension UInt8 {
    var isDigit: Bool { self &- 0x30 < 10 }
    var isUpper: Bool { self &- 0x41 < 26 }
    var isLower: Bool { self &- 0x61 < 26 }
    var isLetter: Bool { (self | 0x20) &- 0x61 < 26 }
    var isAlphanumeric: Bool { isDigit || isLetter }
    /// Letters, digits and `_`: what continues a word or an identifier.
    var isWord: Bool { isAlphanumeric || self == 0x5F }
    /// The byte with an ASCII letter upper-cased.
    var uppercased: UInt8 { isLower ? self - 0x20 : self }
    /// The value of a digit.
    var digitValue: Int { Int(self &- 0x30) }
}
