import Foundation

/// A compiled `pattern` or `patternProperties` key: an ECMA-262 regular expression, compiled
/// once, when the schema is.
///
/// Patterns run on ``SchemaRegex``, a matcher written for this purpose: it follows ECMA-262
/// exactly (`\d` and `\w` are ASCII, `$` matches only at the end, matching is by code point as
/// with the `u` flag) and takes time linear in the string. The few patterns it does not handle,
/// those with backreferences or a `\p{…}` property Swift does not expose, such as a script,
/// are translated to ICU syntax and run by `NSRegularExpression` instead; so are strings long
/// enough (megabytes) that the matcher's memory budget would be exceeded. ICU has no linear-time
/// guarantee.
final class SchemaPattern: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable and documented as safe to share between threads.

    /// The pattern as the schema wrote it.
    let source: String
    private let native: SchemaRegex?
    /// The ICU translation: the engine for patterns ``SchemaRegex`` does not support, and for
    /// strings so long that its memory budget would be exceeded.
    private let foundation: NSRegularExpression?

    /// Compiles an ECMA-262 pattern; `nil` if it is not a valid regular expression.
    init?(_ source: String) {
        self.source = source
        let translated = try? NSRegularExpression(pattern: Self.translate(source))
        switch SchemaRegex.compile(source) {
        case let .compiled(regex):
            self.native = regex
            self.foundation = translated
        case .invalid:
            return nil
        case .unsupported:
            guard let translated else { return nil }
            self.native = nil
            self.foundation = translated
        }
    }

    /// True when the pattern matches somewhere in `text` (patterns are not implicitly anchored).
    func matches(_ text: String) -> Bool {
        if let native, foundation == nil || native.visitedBits(forLength: text.utf8.count) <= SchemaRegex.visitedBudget {
            return native.matches(text)
        }
        guard let foundation else { return false }
        return foundation.firstMatch(in: text, options: [], range: NSRange(location: 0, length: text.utf16.count)) != nil
    }

    /// ECMA-262 white space and line terminators, as ICU set members.
    private static let whiteSpace =
        #"\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}"#

    /// Rewrites an ECMA-262 pattern into ICU syntax with the same meaning.
    static func translate(_ pattern: String) -> String {
        let scalars = Array(pattern.unicodeScalars)
        var out = ""
        var inClass = false
        var index = 0
        func next(_ offset: Int) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\", let escaped = next(1) {
                index += 2
                switch escaped {
                case "d": out += inClass ? "0-9" : "[0-9]"
                case "D": out += "[^0-9]"
                case "w": out += inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"
                case "W": out += "[^a-zA-Z0-9_]"
                case "s": out += inClass ? whiteSpace : "[" + whiteSpace + "]"
                case "S": out += "[^" + whiteSpace + "]"
                case "u" where next(0) == "{", "p" where next(0) == "{", "P" where next(0) == "{":
                    // \u{1F600} (ECMA-262 with the u flag) is \x{1F600} in ICU; \p{…} is the same.
                    out += escaped == "u" ? "\\x" : "\\" + String(escaped)
                    while let brace = next(0) {
                        out.unicodeScalars.append(brace)
                        index += 1
                        if brace == "}" { break }
                    }
                default:
                    out.unicodeScalars.append("\\")
                    out.unicodeScalars.append(escaped)
                }
                continue
            }
            if inClass {
                switch scalar {
                case "]": inClass = false; out += "]"
                case "[": out += "\\["
                case "&": out += "\\&"
                default: out.unicodeScalars.append(scalar)
                }
                index += 1
                continue
            }
            switch scalar {
            case "[":
                if next(1) == "]" {
                    out += "(?!)"  // [] matches nothing
                    index += 2
                    continue
                }
                if next(1) == "^", next(2) == "]" {
                    out += "(?s:.)"  // [^] matches anything
                    index += 3
                    continue
                }
                inClass = true
                out += "["
                if next(1) == "^" {
                    out += "^"
                    index += 1
                }
                if next(1) == "]" {
                    out += "\\]"  // cannot happen in ECMA-262 (handled above); keep ICU happy
                    index += 1
                }
            case "$":
                out += "(?!(?s:.))"  // end of input only, not before a final line break
            case "{":
                if let end = quantifierEnd(scalars, from: index) {
                    out.unicodeScalars.append(contentsOf: scalars[index...end])
                    index = end
                } else {
                    out += "\\{"
                }
            case "}":
                out += "\\}"
            default:
                out.unicodeScalars.append(scalar)
            }
            index += 1
        }
        return out
    }

    /// The index of the `}` closing a quantifier `{n}`, `{n,}` or `{n,m}` that starts at `start`,
    /// or `nil`: ECMA-262 reads any other `{` as a literal brace, which ICU would reject.
    private static func quantifierEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        var digits = 0
        while index < scalars.count, ("0"..."9").contains(scalars[index]) {
            index += 1
            digits += 1
        }
        guard digits > 0, index < scalars.count else { return nil }
        if scalars[index] == "," {
            index += 1
            while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
        }
        return index < scalars.count && scalars[index] == "}" ? index : nil
    }
}
