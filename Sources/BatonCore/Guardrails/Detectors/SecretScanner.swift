/// Finds API keys, tokens and private keys by the formats their issuers give them, in one pass:
/// at each position that starts a token, the byte there says which formats can begin.
///
/// | kind | matched | not matched |
/// |---|---|---|
/// | `secret.openai_key` | `sk-` (`sk-proj-`, `sk-svcacct-`, …) and 20 or more of `A-Za-z0-9_-` holding a digit, an uppercase and a lowercase letter | `sk-learn-the-basics` (no digit, no capital) |
/// | `secret.anthropic_key` | `sk-ant-` and 32 or more of `A-Za-z0-9_-` holding a digit and a letter | |
/// | `secret.aws_access_key_id` | `AKIA` or `ASIA` and exactly 16 of `A-Z0-9` | other lengths, lowercase |
/// | `secret.github_token` | `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` and 36 or more of `A-Za-z0-9`; `github_pat_` and 22 or more of `A-Za-z0-9_` | |
/// | `secret.slack_token` | `xoxa-`, `xoxb-`, `xoxp-`, `xoxr-`, `xoxs-` and 10 or more of `A-Za-z0-9-` holding a digit | |
/// | `secret.google_api_key` | `AIza` and exactly 35 of `A-Za-z0-9_-` | |
/// | `secret.stripe_key` | `sk_live_`, `rk_live_` and 24 or more of `A-Za-z0-9` | test keys, publishable keys |
/// | `secret.jwt` | `eyJ…` `.` `…` `.` `…` in base64url, the first part decoding to a JSON object with `alg` | |
/// | `secret.private_key` | `-----BEGIN … PRIVATE KEY-----`, its body and its `-----END … -----` line | public keys, certificates |
/// | `secret.bearer_token` | the token after `Bearer ` (any case): 16 or more of `A-Za-z0-9._~+/=-` holding a digit and a letter, unless it is one of the kinds above | `Bearer tokens are short-lived` |
///
/// A match must stand on its own: what comes before it and after it is not part of a token.
struct SecretScanner: Sendable {
    /// The kinds to report.
    let enabled: Set<GuardrailDetector>

    func scan(_ bytes: UnsafeBufferPointer<UInt8>, into matches: inout [TextMatch]) {
        var index = 0
        while index < bytes.count {
            guard Self.startsToken(bytes, at: index), let match = match(bytes, at: index) else {
                index += 1
                continue
            }
            matches.append(match)
            index = match.range.upperBound
        }
    }

    /// `A-Za-z0-9_-`: what the keys are made of, and what must not touch them.
    static func isTokenByte(_ byte: UInt8) -> Bool { byte.isWord || byte == UInt8(ascii: "-") }

    /// Whether a secret may start at `index`: after something that is not part of a token. A
    /// PEM block's dashes may follow anything but a dash (`\n-----BEGIN`, in JSON text).
    private static func startsToken(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index > 0 else { return true }
        let previous = bytes[index - 1]
        if bytes[index] == UInt8(ascii: "-") { return previous != UInt8(ascii: "-") }
        return !isTokenByte(previous)
    }

    /// What starts at `start`, if anything enabled does.
    private func match(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> TextMatch? {
        switch bytes[start] {
        case UInt8(ascii: "s"), UInt8(ascii: "r"):
            return stripeKey(bytes, start) ?? prefixedKey(bytes, start)
        case UInt8(ascii: "A"):
            return awsKey(bytes, start) ?? fixedLength(bytes, start, prefix: "AIza", kind: .googleAPIKey, length: 35)
        case UInt8(ascii: "g"):
            return githubToken(bytes, start)
        case UInt8(ascii: "x"):
            return slackToken(bytes, start)
        case UInt8(ascii: "e"):
            return jwt(bytes, start)
        case UInt8(ascii: "-"):
            return privateKey(bytes, start)
        case UInt8(ascii: "B"), UInt8(ascii: "b"):
            return bearerToken(bytes, start)
        default:
            return nil
        }
    }

    // MARK: - Formats

    func report(_ kind: GuardrailDetector, _ range: Range<Int>, visible: Int) -> TextMatch? {
        enabled.contains(kind) ? TextMatch(kind: kind.rawValue, range: range, masking: .ends(prefix: visible, suffix: 0)) : nil
    }

    /// `sk-…` (OpenAI) and `sk-ant-…` (Anthropic).
    private func prefixedKey(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> TextMatch? {
        guard Self.has(bytes, "sk-", at: start) else { return nil }
        let end = Self.runEnd(bytes, from: start + 3, where: Self.isTokenByte)
        let body = (start + 3)..<end
        if Self.has(bytes, "sk-ant-", at: start) {
            guard end - start - 7 >= 32, Self.holds(bytes, body, \.isDigit), Self.holds(bytes, body, \.isLetter) else { return nil }
            return report(.anthropicKey, start..<end, visible: 7)
        }
        guard body.count >= 20, Self.holds(bytes, body, \.isDigit), Self.holds(bytes, body, \.isUpper), Self.holds(bytes, body, \.isLower) else {
            return nil
        }
        let scoped = ["proj-", "svcacct-", "admin-"].first { Self.has(bytes, $0, at: start + 3) }
        return report(.openAIKey, start..<end, visible: 3 + (scoped?.utf8.count ?? 0))
    }

    private func stripeKey(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> TextMatch? {
        guard Self.has(bytes, "sk_live_", at: start) || Self.has(bytes, "rk_live_", at: start) else { return nil }
        let end = Self.runEnd(bytes, from: start + 8, where: \.isAlphanumeric)
        guard end - start - 8 >= 24, end == bytes.count || !Self.isTokenByte(bytes[end]) else { return nil }
        return report(.stripeKey, start..<end, visible: 8)
    }

    private func awsKey(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> TextMatch? {
        guard Self.has(bytes, "AKIA", at: start) || Self.has(bytes, "ASIA", at: start) else { return nil }
        let end = Self.runEnd(bytes, from: start + 4) { $0.isUpper || $0.isDigit }
        guard end - start == 20, end == bytes.count || !bytes[end].isAlphanumeric else { return nil }
        return report(.awsAccessKeyID, start..<end, visible: 4)
    }

    /// `prefix` and exactly `length` token bytes.
    private func fixedLength(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, prefix: String, kind: GuardrailDetector, length: Int) -> TextMatch? {
        guard Self.has(bytes, prefix, at: start) else { return nil }
        let end = Self.runEnd(bytes, from: start + prefix.utf8.count, where: Self.isTokenByte)
        guard end - start - prefix.utf8.count == length else { return nil }
        return report(kind, start..<end, visible: prefix.utf8.count)
    }

    private func githubToken(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> TextMatch? {
        if Self.has(bytes, "github_pat_", at: start) {
            let end = Self.runEnd(bytes, from: start + 11, where: \.isWord)
            guard end - start - 11 >= 22, end == bytes.count || !Self.isTokenByte(bytes[end]) else { return nil }
            return report(.githubToken, start..<end, visible: 11)
        }
        guard start + 4 <= bytes.count, Self.has(bytes, "gh", at: start), Self.githubKinds.contains(bytes[start + 2]),
            bytes[start + 3] == UInt8(ascii: "_")
        else { return nil }
        let end = Self.runEnd(bytes, from: start + 4, where: \.isAlphanumeric)
        guard end - start - 4 >= 36, end == bytes.count || !Self.isTokenByte(bytes[end]) else { return nil }
        return report(.githubToken, start..<end, visible: 4)
    }

    private func slackToken(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> TextMatch? {
        guard start + 5 <= bytes.count, Self.has(bytes, "xox", at: start), Self.slackKinds.contains(bytes[start + 3]),
            bytes[start + 4] == UInt8(ascii: "-")
        else { return nil }
        let end = Self.runEnd(bytes, from: start + 5) { $0.isAlphanumeric || $0 == UInt8(ascii: "-") }
        guard end - start - 5 >= 10, Self.holds(bytes, (start + 5)..<end, \.isDigit), end == bytes.count || !bytes[end].isWord else { return nil }
        return report(.slackToken, start..<end, visible: 5)
    }

    /// The token after `Bearer `: a more specific kind if it is one, else a bearer token.
    private func bearerToken(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> TextMatch? {
        guard start + 7 < bytes.count, (0..<6).allSatisfy({ bytes[start + $0] | 0x20 == Self.bearer[$0] }),
            bytes[start + 6] == UInt8(ascii: " ") || bytes[start + 6] == UInt8(ascii: "\t")
        else { return nil }
        let token = Self.runEnd(bytes, from: start + 6) { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard token < bytes.count else { return nil }
        if bytes[token] != UInt8(ascii: "B") && bytes[token] != UInt8(ascii: "b"), let specific = match(bytes, at: token) { return specific }
        let end = Self.runEnd(bytes, from: token) { $0.isAlphanumeric || Self.bearerSymbols.contains($0) }
        let body = token..<end
        guard body.count >= 16, Self.holds(bytes, body, \.isDigit), Self.holds(bytes, body, \.isLetter) else { return nil }
        return report(.bearerToken, body, visible: 0)
    }

    // MARK: - Helpers

    private static let githubKinds = Array("pousr".utf8), slackKinds = Array("abprs".utf8)
    private static let bearer = Array("bearer".utf8), bearerSymbols = Array("._~+/=-".utf8)

    /// Whether `bytes` holds `literal` at `index`.
    static func has(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: String, at index: Int) -> Bool {
        var position = index
        for byte in literal.utf8 {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
        }
        return true
    }

    /// The end of the run of bytes from `start` that satisfy `isIn`.
    static func runEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, where isIn: (UInt8) -> Bool) -> Int {
        var end = start
        while end < bytes.count, isIn(bytes[end]) { end += 1 }
        return end
    }

    /// Whether some byte of `range` satisfies `test`.
    static func holds(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ test: (UInt8) -> Bool) -> Bool {
        range.contains { test(bytes[$0]) }
    }
}
