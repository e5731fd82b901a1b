/// The secrets recognised by their structure rather than a prefix alone: JSON Web Tokens and
/// PEM private key blocks.
extension SecretScanner {
    /// A header longer than this is not taken for a JWT's (real ones are under 200 characters).
    static let maximumJWTHeader = 4096

    /// `eyJ…` `.` `…` `.` `…` (or five parts, an encrypted token), the first part the base64url
    /// of a JSON object with `alg`.
    func jwt(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> TextMatch? {
        guard Self.has(bytes, "eyJ", at: start) else { return nil }
        var ends = [Self.runEnd(bytes, from: start, where: Self.isTokenByte)]
        while ends.count < 5, let last = ends.last, last < bytes.count, bytes[last] == UInt8(ascii: ".") {
            ends.append(Self.runEnd(bytes, from: last + 1, where: Self.isTokenByte))
        }
        guard ends.count == 3 || ends.count == 5, ends[1] > ends[0] + 1, ends[0] - start <= Self.maximumJWTHeader,
            let header = Self.base64URLDecoded(bytes[start..<ends[0]]), (try? JSON(parsing: header))?["alg"] != nil
        else { return nil }
        return report(.jwt, start..<ends[ends.count - 1], visible: 3)
    }

    /// `-----BEGIN … PRIVATE KEY-----` (RSA, EC, DSA, OpenSSH, encrypted, PGP's `… PRIVATE KEY
    /// BLOCK`), the body, and the `-----END … -----` line when there is one; without it, the
    /// block ends where the body does.
    func privateKey(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> TextMatch? {
        guard Self.has(bytes, "-----BEGIN ", at: start) else { return nil }
        let labelEnd = Self.runEnd(bytes, from: start + 11, where: Self.isLabelByte)
        guard Self.has(bytes, "-----", at: labelEnd),
            String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 11)..<labelEnd]), as: UTF8.self).contains("PRIVATE KEY")
        else { return nil }
        let opening = labelEnd + 5
        var end = opening
        while end < bytes.count, Self.isBodyByte(bytes[end]), !Self.has(bytes, "-----", at: end) { end += 1 }
        if Self.has(bytes, "-----END ", at: end) {
            let closingLabel = Self.runEnd(bytes, from: end + 9, where: Self.isLabelByte)
            if Self.has(bytes, "-----", at: closingLabel) { end = closingLabel + 5 }
        }
        return report(.privateKey, start..<end, visible: opening - start)
    }

    /// What a PEM label is made of: `RSA PRIVATE KEY`.
    private static func isLabelByte(_ byte: UInt8) -> Bool { byte.isUpper || byte.isDigit || byte == UInt8(ascii: " ") }

    /// What a PEM body is made of: base64, line breaks (also as `\n` escapes, in JSON text), and
    /// the header lines of legacy encrypted keys (`Proc-Type: 4,ENCRYPTED`).
    private static func isBodyByte(_ byte: UInt8) -> Bool {
        byte.isAlphanumeric || pemSymbols.contains(byte)
    }

    private static let pemSymbols = Array("+/= \t\r\n\\:,-".utf8)

    /// The bytes that base64url (RFC 4648 §5, without padding) encodes in `text`, or `nil` when
    /// it is not base64url.
    static func base64URLDecoded(_ text: UnsafeBufferPointer<UInt8>.SubSequence) -> [UInt8]? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(text.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "_"): value = 63
            default: return nil
            }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                decoded.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return decoded
    }
}
