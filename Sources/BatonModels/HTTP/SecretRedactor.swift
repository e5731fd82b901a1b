/// Removes secrets from text that is about to appear in an error, an event or a log: the API key a
/// provider was given, and anything shaped like one (`sk-…`, `Bearer …`), wherever it occurs.
///
/// Redact before cutting text short, so that no prefix of a key survives the cut.
struct SecretRedactor: Sendable {
    static let mark = "[redacted]"

    private let secrets: [String]

    /// A redactor for `secrets` (empty or very short ones are ignored: they would blank out text).
    init(secrets: [String]) {
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: Self.mark)
        }
        result = result.replacing(/sk-[A-Za-z0-9_\-]{6,}/, with: "sk-" + Self.mark)
        result = result.replacing(/(?i)(bearer|x-api-key:?|api[_-]?key"?\s*[:=])\s*"?[A-Za-z0-9._~+\/=\-]{6,}/) { match in
            "\(match.output.1) \(Self.mark)"
        }
        return result
    }

    /// The start of `bytes` as one line of text, redacted, at most `limit` characters.
    func excerpt(_ bytes: some Collection<UInt8>, limit: Int = 240) -> String {
        excerpt(String(decoding: bytes.prefix(16 * limit), as: UTF8.self), limit: limit)
    }

    /// `text` redacted, on one line, at most `limit` characters.
    func excerpt(_ text: String, limit: Int = 240) -> String {
        let line = redact(text).split(whereSeparator: \.isNewline).joined(separator: " ")
        if line.count <= limit { return line }
        return line.prefix(limit) + "…"
    }
}
