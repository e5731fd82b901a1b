/// One lexical unit of an expression, with the offset (in Unicode scalars) where it starts.
struct ExpressionToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// An integer or decimal literal.
        case number(JSON)
        /// A quoted string literal, escapes resolved.
        case string(String)
        /// An identifier or a keyword (`true`, `and`, `not`, `in`, …); the parser tells them apart.
        case word(String)
        /// Punctuation or an operator: `(`, `.`, `<=`, `&&`, …
        case symbol(String)
        /// The end of the source.
        case end
    }

    var kind: Kind
    var offset: Int

    /// The token as error messages quote it: `'>'`, `identifier 'foo'`, `end of expression`.
    var quoted: String {
        switch kind {
        case let .number(value): return "number \(value)"
        case let .string(value):
            let shown = value.count > 20 ? String(value.prefix(20)) + "…" : value
            return "string '\(shown)'"
        case let .word(word):
            return ExpressionToken.keywords.contains(word) ? "'\(word)'" : "identifier '\(word)'"
        case let .symbol(symbol): return "'\(symbol)'"
        case .end: return "end of expression"
        }
    }

    /// Words with a meaning of their own; they cannot name a context value (use `["in"]` instead).
    static let keywords: Set<String> = ["true", "false", "null", "and", "or", "not", "in"]

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol(symbol) }

    func isWord(_ word: String) -> Bool { kind == .word(word) }
}
