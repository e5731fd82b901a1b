/// Finds email addresses: a local part, `@`, and a domain of at least two labels whose last
/// (the top-level domain) is two or more ASCII letters.
///
/// The local part is ASCII letters, digits and `.`, `_`, `%`, `+`, `-` (the characters
/// addresses use in practice; RFC 5322 allows more, such as `'` and `=`, which in text are far
/// more often quotes and assignments), or any non-ASCII character (internationalised
/// addresses), neither starting nor ending with a dot nor holding two in a row. Domain labels
/// are ASCII letters, digits and inner hyphens, at most 63 each. Not matched: `user@localhost`
/// (no dot), `lodash@4.17.21` and `user@10.0.0.1` (the last label is not letters), domains in
/// Unicode rather than punycode, IP-literal domains.
///
/// Each `@` is looked at once; its local part ends at the previous `@` at the latest, and its
/// domain at the next, so every byte is read at most twice: linear time.
enum EmailScanner {
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, into matches: inout [TextMatch]) {
        var searched = 0
        for at in bytes.indices where bytes[at] == UInt8(ascii: "@") {
            guard let start = localStart(bytes, before: at, notBefore: searched), let end = domainEnd(bytes, after: at) else { continue }
            matches.append(TextMatch(kind: GuardrailDetector.email.rawValue, range: start..<end, masking: .email))
            searched = end
        }
    }

    private static func isLocal(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"): return true
        default: return byte.isAlphanumeric || byte >= 0x80
        }
    }

    /// Where the local part ending before `at` starts (not before `limit`), or `nil` when there is none.
    private static func localStart(_ bytes: UnsafeBufferPointer<UInt8>, before at: Int, notBefore limit: Int) -> Int? {
        var start = at
        while start > limit, isLocal(bytes[start - 1]) { start -= 1 }
        while start < at, bytes[start] == UInt8(ascii: ".") { start += 1 }
        guard start < at, bytes[at - 1] != UInt8(ascii: ".") else { return nil }
        for index in start..<(at - 1) where bytes[index] == UInt8(ascii: ".") && bytes[index + 1] == UInt8(ascii: ".") {
            return nil
        }
        return start
    }

    /// Where the domain starting after `at` ends, or `nil` when it is not a domain.
    private static func domainEnd(_ bytes: UnsafeBufferPointer<UInt8>, after at: Int) -> Int? {
        var end = at + 1
        while end < bytes.count, bytes[end].isAlphanumeric || bytes[end] == UInt8(ascii: "-") || bytes[end] == UInt8(ascii: ".") { end += 1 }
        // A sentence's full stop, or a dash after the address, is not part of it.
        while end > at + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
        var labels = 0
        var labelStart = at + 1
        var index = at + 1
        while index <= end {
            if index == end || bytes[index] == UInt8(ascii: ".") {
                let length = index - labelStart
                guard length >= 1, length <= 63, bytes[labelStart] != UInt8(ascii: "-"), bytes[index - 1] != UInt8(ascii: "-") else { return nil }
                labels += 1
                if index == end {
                    guard labels >= 2, length >= 2, (labelStart..<end).allSatisfy({ bytes[$0].isLetter }) else { return nil }
                }
                labelStart = index + 1
            }
            index += 1
        }
        // An address runs into a following word only when it is something else (a path, a host name).
        if end < bytes.count, bytes[end].isWord || bytes[end] == UInt8(ascii: "@") { return nil }
        return end
    }
}
