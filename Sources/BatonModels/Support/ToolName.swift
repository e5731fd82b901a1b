/// Names that providers accept for tools and response schemas: `^[a-zA-Z0-9_-]{1,64}$`.
enum ToolName {
    /// `text` with every other character replaced by `_`, cut to 64 characters; `fallback` when
    /// nothing is left.
    static func sanitized(_ text: String, fallback: String = "answer") -> String {
        let allowed = text.unicodeScalars.map { scalar -> Character in
            let isAllowed = (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || scalar == "_" || scalar == "-"
            return isAllowed ? Character(scalar) : "_"
        }
        let name = String(allowed.prefix(64))
        return name.isEmpty ? fallback : name
    }
}
