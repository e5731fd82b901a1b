/// Parses an ECMA-262 regular expression, read with the `u` flag as JSON Schema intends, into a
/// tree that ``SchemaRegex`` compiles.
///
/// Everything a validator needs to answer "does it match?" is supported: literals, escapes,
/// classes, `.`, anchors, `\b`, groups, alternation, every quantifier, and lookaround. Two things
/// are not, and make the parser answer ``Outcome/unsupported`` so that the caller can use ICU
/// instead: backreferences, and `\p{…}` properties Swift does not expose (scripts).
struct SchemaRegexParser {
    /// A parsed pattern.
    indirect enum Node {
        case empty
        case scalar(UInt32)
        case any
        case set(SchemaRegexSet)
        case start
        case end
        case wordBoundary(negated: Bool)
        case sequence([Node])
        case alternation([Node])
        case repetition(Node, minimum: Int, maximum: Int?)
        case look(Node, ahead: Bool, negated: Bool)
    }

    enum Outcome {
        case parsed(Node)
        /// Valid, perhaps, but beyond this engine: use another.
        case unsupported
        /// Not a valid ECMA-262 pattern.
        case invalid
    }

    private enum Failure: Error {
        case unsupported
        case invalid
    }

    private let scalars: [UInt32]
    private var index = 0
    private var depth = 0

    /// Parses `pattern`.
    static func parse(_ pattern: String) -> Outcome {
        var parser = SchemaRegexParser(scalars: pattern.unicodeScalars.map(\.value))
        do {
            let node = try parser.parseDisjunction()
            guard parser.index == parser.scalars.count else { return .invalid }  // an unmatched ")"
            return .parsed(node)
        } catch .unsupported {
            return .unsupported
        } catch {
            return .invalid
        }
    }

    private init(scalars: [UInt32]) {
        self.scalars = scalars
    }

    private var current: UInt32? { index < scalars.count ? scalars[index] : nil }

    private func peek(_ offset: Int) -> UInt32? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func take(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first, current == scalar.value else { return false }
        index += 1
        return true
    }

    private static func value(_ character: Character) -> UInt32 {
        character.unicodeScalars.first?.value ?? 0
    }

    // MARK: - Structure

    private mutating func parseDisjunction() throws(Failure) -> Node {
        depth += 1
        defer { depth -= 1 }
        guard depth < 200 else { throw .unsupported }
        var alternatives = [try parseAlternative()]
        while take("|") { alternatives.append(try parseAlternative()) }
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    private mutating func parseAlternative() throws(Failure) -> Node {
        var terms: [Node] = []
        while let scalar = current, scalar != Self.value("|"), scalar != Self.value(")") {
            terms.append(try parseTerm())
        }
        switch terms.count {
        case 0: return .empty
        case 1: return terms[0]
        default: return .sequence(terms)
        }
    }

    private mutating func parseTerm() throws(Failure) -> Node {
        guard let scalar = current else { throw .invalid }
        switch scalar {
        case Self.value("^"):
            index += 1
            return .start
        case Self.value("$"):
            index += 1
            return .end
        case Self.value("("):
            if let look = try parseLookaround() { return look }
            return try parseQuantifier(on: try parseGroup())
        case Self.value("*"), Self.value("+"), Self.value("?"):
            throw .invalid  // nothing to repeat
        case Self.value("{") where quantifierBounds(at: index) != nil:
            throw .invalid
        case Self.value("\\"):
            if peek(1) == Self.value("b") || peek(1) == Self.value("B") {
                let negated = peek(1) == Self.value("B")
                index += 2
                return .wordBoundary(negated: negated)
            }
            index += 1
            return try parseQuantifier(on: try parseEscape(inClass: false).node)
        case Self.value("["):
            return try parseQuantifier(on: try parseClass())
        case Self.value("."):
            index += 1
            return try parseQuantifier(on: .any)
        default:
            index += 1
            return try parseQuantifier(on: .scalar(scalar))
        }
    }

    /// `(?=…)`, `(?!…)`, `(?<=…)` and `(?<!…)`, or `nil` when the group is not a lookaround.
    private mutating func parseLookaround() throws(Failure) -> Node? {
        guard peek(1) == Self.value("?") else { return nil }
        let ahead: Bool
        let negated: Bool
        let length: Int
        switch (peek(2), peek(3)) {
        case (Self.value("="), _): (ahead, negated, length) = (true, false, 3)
        case (Self.value("!"), _): (ahead, negated, length) = (true, true, 3)
        case (Self.value("<"), Self.value("=")): (ahead, negated, length) = (false, false, 4)
        case (Self.value("<"), Self.value("!")): (ahead, negated, length) = (false, true, 4)
        default: return nil
        }
        index += length
        let body = try parseDisjunction()
        guard take(")") else { throw .invalid }
        return .look(body, ahead: ahead, negated: negated)
    }

    /// `(…)`, `(?:…)` and `(?<name>…)`; captures are irrelevant to matching, so all are alike.
    private mutating func parseGroup() throws(Failure) -> Node {
        index += 1
        if take("?") {
            if take(":") {
                // non-capturing
            } else if take("<") {
                var nameLength = 0
                while let scalar = current, scalar != Self.value(">") {
                    index += 1
                    nameLength += 1
                }
                guard nameLength > 0, take(">") else { throw .invalid }
            } else {
                throw .unsupported  // modifiers such as (?i:…)
            }
        }
        let body = try parseDisjunction()
        guard take(")") else { throw .invalid }
        return body
    }

    private mutating func parseQuantifier(on atom: Node) throws(Failure) -> Node {
        let minimum: Int
        let maximum: Int?
        switch current {
        case Self.value("*"): (minimum, maximum) = (0, nil); index += 1
        case Self.value("+"): (minimum, maximum) = (1, nil); index += 1
        case Self.value("?"): (minimum, maximum) = (0, 1); index += 1
        case Self.value("{"):
            guard let (bounds, end) = quantifierBounds(at: index) else { return atom }
            (minimum, maximum) = bounds
            index = end
        default:
            return atom
        }
        if let maximum, maximum < minimum { throw .invalid }
        _ = take("?")  // lazy or greedy: the same for "is there a match"
        if let next = current, [Self.value("*"), Self.value("+"), Self.value("?")].contains(next) { throw .invalid }
        return .repetition(atom, minimum: minimum, maximum: maximum)
    }

    /// The bounds of `{n}`, `{n,}` or `{n,m}` at `start`, and the index after it.
    private func quantifierBounds(at start: Int) -> ((Int, Int?), Int)? {
        var position = start + 1
        func number() -> Int? {
            var value = 0
            var digits = 0
            while position < scalars.count, scalars[position] >= 0x30, scalars[position] <= 0x39 {
                value = min(value * 10 + Int(scalars[position] - 0x30), 1_000_000)
                position += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if position < scalars.count, scalars[position] == Self.value(",") {
            position += 1
            high = number()
        }
        guard position < scalars.count, scalars[position] == Self.value("}") else { return nil }
        return ((low, high), position + 1)
    }

    // MARK: - Escapes and classes

    /// What an escape denotes: one code point, or a class of them.
    private enum Escape {
        case scalar(UInt32)
        case item(SchemaRegexSet.Item)

        var node: Node {
            switch self {
            case let .scalar(value): return .scalar(value)
            case let .item(item): return .set(SchemaRegexSet([item], negated: false))
            }
        }
    }

    /// An escape after `\`.
    private mutating func parseEscape(inClass: Bool) throws(Failure) -> Escape {
        guard let scalar = current else { throw .invalid }
        index += 1
        switch scalar {
        case Self.value("d"): return .item(.digit(negated: false))
        case Self.value("D"): return .item(.digit(negated: true))
        case Self.value("w"): return .item(.word(negated: false))
        case Self.value("W"): return .item(.word(negated: true))
        case Self.value("s"): return .item(.space(negated: false))
        case Self.value("S"): return .item(.space(negated: true))
        case Self.value("p"), Self.value("P"):
            guard take("{") else { throw .invalid }
            var name = ""
            while let character = current, character != Self.value("}") {
                guard let unicode = Unicode.Scalar(character) else { throw .invalid }
                name.unicodeScalars.append(unicode)
                index += 1
            }
            guard take("}"), !name.isEmpty else { throw .invalid }
            guard let property = SchemaRegexProperty(name: name) else { throw .unsupported }
            return .item(.property(property, negated: scalar == Self.value("P")))
        case Self.value("t"): return .scalar(0x09)
        case Self.value("n"): return .scalar(0x0A)
        case Self.value("v"): return .scalar(0x0B)
        case Self.value("f"): return .scalar(0x0C)
        case Self.value("r"): return .scalar(0x0D)
        case Self.value("b") where inClass: return .scalar(0x08)
        case Self.value("0"):
            if let next = current, next >= 0x30, next <= 0x39 { throw .invalid }
            return .scalar(0)
        case Self.value("1")...Self.value("9"):
            throw inClass ? .invalid : .unsupported  // a backreference
        case Self.value("k"):
            throw .unsupported  // a named backreference
        case Self.value("c"):
            guard let letter = current,
                (letter >= Self.value("a") && letter <= Self.value("z")) || (letter >= Self.value("A") && letter <= Self.value("Z"))
            else { throw .invalid }
            index += 1
            return .scalar(letter % 32)
        case Self.value("x"):
            return .scalar(try hexDigits(2))
        case Self.value("u"):
            if take("{") {
                var value: UInt32 = 0
                var digits = 0
                while let character = current, let digit = Self.hexValue(character) {
                    value = value * 16 + digit
                    digits += 1
                    index += 1
                    guard value <= 0x10FFFF else { throw .invalid }
                }
                guard digits > 0, take("}") else { throw .invalid }
                return .scalar(value)
            }
            let high = try hexDigits(4)
            if (0xD800...0xDBFF).contains(high), current == Self.value("\\"), peek(1) == Self.value("u") {
                let saved = index
                index += 2
                if let low = try? hexDigits(4), (0xDC00...0xDFFF).contains(low) {
                    return .scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                }
                index = saved
            }
            return .scalar(high)
        case Self.value("-") where inClass:
            return .scalar(scalar)
        default:
            let isLetterOrDigit = (scalar >= 0x30 && scalar <= 0x39) || (scalar >= 0x41 && scalar <= 0x5A)
                || (scalar >= 0x61 && scalar <= 0x7A)
            if isLetterOrDigit { throw .invalid }  // \a, \e, \z…: not escapes in ECMA-262
            return .scalar(scalar)  // an identity escape: \. \/ \- \$ …
        }
    }

    private mutating func hexDigits(_ count: Int) throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let character = current, let digit = Self.hexValue(character) else { throw .invalid }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private static func hexValue(_ scalar: UInt32) -> UInt32? {
        switch scalar {
        case 0x30...0x39: return scalar - 0x30
        case 0x41...0x46: return scalar - 0x41 + 10
        case 0x61...0x66: return scalar - 0x61 + 10
        default: return nil
        }
    }

    /// `[…]` and `[^…]`.
    private mutating func parseClass() throws(Failure) -> Node {
        index += 1
        let negated = take("^")
        var items: [SchemaRegexSet.Item] = []
        while true {
            guard let scalar = current else { throw .invalid }
            if scalar == Self.value("]") {
                index += 1
                break
            }
            let low = try parseClassAtom()
            if current == Self.value("-"), let next = peek(1), next != Self.value("]") {
                index += 1
                let high = try parseClassAtom()
                guard case let .range(start, _) = low, case let .range(end, _) = high else {
                    // A class such as \d cannot bound a range: read the "-" literally.
                    items.append(low)
                    items.append(.range(Self.value("-"), Self.value("-")))
                    items.append(high)
                    continue
                }
                guard start <= end else { throw .invalid }
                items.append(.range(start, end))
            } else {
                items.append(low)
            }
        }
        return .set(SchemaRegexSet(items, negated: negated))
    }

    /// One code point or named class inside `[…]`; a code point comes back as a one-point range.
    private mutating func parseClassAtom() throws(Failure) -> SchemaRegexSet.Item {
        guard let scalar = current else { throw .invalid }
        index += 1
        guard scalar == Self.value("\\") else { return .range(scalar, scalar) }
        switch try parseEscape(inClass: true) {
        case let .scalar(value): return .range(value, value)
        case let .item(item): return item
        }
    }
}
