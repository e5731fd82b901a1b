/// Splits an expression's source into tokens. Works on Unicode scalars, so offsets are scalar
/// offsets; ``ExpressionError`` turns them into character columns.
struct ExpressionLexer {
    private let source: String
    private let scalars: [Unicode.Scalar]
    private var index = 0

    /// The tokens of `source`, ending with a `.end` token.
    static func tokenize(_ source: String) throws(ExpressionError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(source: source)
        return try lexer.tokenize()
    }

    private init(source: String) {
        self.source = source
        self.scalars = Array(source.unicodeScalars)
    }

    private mutating func tokenize() throws(ExpressionError) -> [ExpressionToken] {
        var tokens: [ExpressionToken] = []
        while true {
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
            guard index < scalars.count else {
                tokens.append(ExpressionToken(kind: .end, offset: index))
                return tokens
            }
            let start = index
            tokens.append(ExpressionToken(kind: try nextKind(), offset: start))
        }
    }

    private mutating func nextKind() throws(ExpressionError) -> ExpressionToken.Kind {
        let scalar = scalars[index]
        if Self.isDigit(scalar) { return try number() }
        if scalar == "'" || scalar == "\"" { return .string(try string()) }
        if Self.isWordStart(scalar) {
            let start = index
            while index < scalars.count, Self.isWordStart(scalars[index]) || Self.isDigit(scalars[index]) {
                index += 1
            }
            return .word(text(start..<index))
        }
        return try symbol()
    }

    // MARK: - Symbols

    private static let twoCharacterSymbols: Set<String> = ["<=", ">=", "==", "!=", "&&", "||"]
    private static let oneCharacterSymbols: Set<Unicode.Scalar> = [
        "(", ")", "[", "]", "{", "}", ",", ":", ".", "?", "!", "+", "-", "*", "/", "%", "<", ">",
    ]

    private mutating func symbol() throws(ExpressionError) -> ExpressionToken.Kind {
        let scalar = scalars[index]
        if index + 1 < scalars.count {
            let pair = text(index..<index + 2)
            if Self.twoCharacterSymbols.contains(pair) {
                index += 2
                return .symbol(pair)
            }
        }
        if Self.oneCharacterSymbols.contains(scalar) {
            index += 1
            return .symbol(String(scalar))
        }
        switch scalar {
        case "=": throw error("'=' is not an operator (expressions cannot assign); compare with '=='")
        case "&": throw error("'&' is not an operator; write '&&' or 'and'")
        case "|": throw error("'|' is not an operator; write '||' or 'or'")
        default:
            let shown = scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F
                ? "U+" + String(scalar.value, radix: 16, uppercase: true)
                : String(scalar)
            throw error("unexpected character '\(shown)'; quote text as 'text' and use only the documented operators")
        }
    }

    // MARK: - Numbers

    private mutating func number() throws(ExpressionError) -> ExpressionToken.Kind {
        let start = index
        var isInteger = true
        skipDigits()
        if index + 1 < scalars.count, scalars[index] == ".", Self.isDigit(scalars[index + 1]) {
            isInteger = false
            index += 1
            skipDigits()
        }
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            var next = index + 1
            if next < scalars.count, scalars[next] == "+" || scalars[next] == "-" { next += 1 }
            if next < scalars.count, Self.isDigit(scalars[next]) {
                isInteger = false
                index = next
                skipDigits()
            }
        }
        let literal = text(start..<index)
        if isInteger, let value = Int(literal) { return .number(.int(value)) }
        guard let value = Double(literal), value.isFinite else {
            index = start
            throw error("the number \(literal) is too large; numbers must fit in a 64-bit floating-point value")
        }
        return .number(.double(value))
    }

    private mutating func skipDigits() {
        while index < scalars.count, Self.isDigit(scalars[index]) { index += 1 }
    }

    // MARK: - Strings

    private mutating func string() throws(ExpressionError) -> String {
        let opening = index
        let quote = scalars[index]
        index += 1
        var value = String.UnicodeScalarView()
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == quote {
                index += 1
                return String(value)
            }
            if scalar == "\\" {
                value.append(try escape())
            } else {
                value.append(scalar)
                index += 1
            }
        }
        index = opening
        throw error("unterminated string; close it with \(quote == "'" ? "' (a single quote)" : "\" (a double quote)")")
    }

    /// Reads the escape at `index` (a backslash) and returns the scalar it stands for.
    private mutating func escape() throws(ExpressionError) -> Unicode.Scalar {
        let backslash = index
        index += 1
        guard index < scalars.count else {
            index = backslash
            throw error("a backslash ends the expression; write \\\\ for a backslash")
        }
        let letter = scalars[index]
        index += 1
        switch letter {
        case "\\", "'", "\"", "/": return letter
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "0": return "\u{00}"
        case "u": return try unicodeEscape(backslash: backslash)
        default:
            index = backslash
            throw error(
                "unknown escape '\\\(letter)'; write \\\\ for a backslash (regular expressions need it: '\\\\d+'); "
                    + "the escapes are \\\\ \\' \\\" \\/ \\n \\r \\t \\b \\f \\0 \\uXXXX \\u{X…}")
        }
    }

    /// `\uXXXX` (a UTF-16 surrogate pair is two of them) or `\u{1F600}`; `index` is after the `u`.
    private mutating func unicodeEscape(backslash: Int) throws(ExpressionError) -> Unicode.Scalar {
        var code: UInt32
        if index < scalars.count, scalars[index] == "{" {
            let start = index + 1
            var end = start
            while end < scalars.count, end - start <= 8, scalars[end].properties.isASCIIHexDigit { end += 1 }
            guard end > start, end - start <= 8, end < scalars.count, scalars[end] == "}",
                let parsed = UInt32(text(start..<end), radix: 16)
            else {
                index = backslash
                throw error("invalid \\u{…} escape; write 1 to 8 hex digits between the braces, as in \\u{1F600}")
            }
            index = end + 1
            code = parsed
        } else {
            code = try hex4(backslash: backslash)
            if (0xD800...0xDBFF).contains(code) {
                guard index + 1 < scalars.count, scalars[index] == "\\", scalars[index + 1] == "u" else {
                    index = backslash
                    throw error("a \\u escape for a high surrogate must be followed by one for a low surrogate")
                }
                index += 2
                let low = try hex4(backslash: backslash)
                guard (0xDC00...0xDFFF).contains(low) else {
                    index = backslash
                    throw error("a \\u escape for a high surrogate must be followed by one for a low surrogate")
                }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
        }
        guard let scalar = Unicode.Scalar(code) else {
            index = backslash
            throw error("the \\u escape does not name a Unicode scalar value")
        }
        return scalar
    }

    private mutating func hex4(backslash: Int) throws(ExpressionError) -> UInt32 {
        guard index + 4 <= scalars.count, let code = UInt32(text(index..<index + 4), radix: 16),
            scalars[index..<index + 4].allSatisfy(\.properties.isASCIIHexDigit)
        else {
            index = backslash
            throw error("invalid \\u escape; write exactly 4 hex digits, as in \\u00e9, or braces, as in \\u{e9}")
        }
        index += 4
        return code
    }

    // MARK: - Helpers

    private func text(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

    private static func isWordStart(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_"
    }

    private func error(_ reason: String) -> ExpressionError {
        ExpressionError(source: source, scalarOffset: index, reason: reason)
    }
}
