/// The bytes a match of a pattern that is not empty can begin with, so that a search for every
/// match (``SchemaRegex/matchRanges(in:startingWith:)``) tries the matcher only where one can
/// start: for `wire transfer`, at each `w`, instead of at every byte.
///
/// Worked out from the parsed pattern, conservatively: a class, or `.`, admits every byte that
/// leads a character beyond ASCII. Assertions (`^`, `$`, `\b`, lookaround)
/// consume nothing, so the bytes come from what follows them.
struct SchemaRegexStarts: Sendable {
    /// One bit per byte value.
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// Every byte that can begin a character (not the continuation bytes 0x80 to 0xBF).
    static let any = SchemaRegexStarts(words: (~0, ~0, 0, ~0))
    private static let none = SchemaRegexStarts(words: (0, 0, 0, 0))

    private init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// The starts of `pattern`'s non-empty matches; ``any`` for a pattern that does not parse.
    init(_ pattern: String) {
        guard case let .parsed(node) = SchemaRegexParser.parse(pattern) else {
            self = .any
            return
        }
        self = Self.analyse(node).starts
    }

    /// True when a match may begin with `byte`.
    @inline(__always)
    func admits(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    private func union(_ other: SchemaRegexStarts) -> SchemaRegexStarts {
        SchemaRegexStarts(words: (words.0 | other.words.0, words.1 | other.words.1, words.2 | other.words.2, words.3 | other.words.3))
    }

    /// The bytes a non-empty match of `node` begins with, and whether `node` can match nothing.
    private static func analyse(_ node: SchemaRegexParser.Node) -> (starts: SchemaRegexStarts, canBeEmpty: Bool) {
        switch node {
        case .empty, .start, .end, .wordBoundary, .look:
            return (.none, true)
        case let .scalar(value):
            return (leading(value), false)
        case .any:
            return (.any, false)
        case let .set(set):
            return (SchemaRegexStarts(words: (set.asciiLow, set.asciiHigh, 0, ~0)), false)
        case let .sequence(nodes):
            var starts = SchemaRegexStarts.none
            for node in nodes {
                let (first, canBeEmpty) = analyse(node)
                starts = starts.union(first)
                if !canBeEmpty { return (starts, false) }
            }
            return (starts, true)
        case let .alternation(alternatives):
            var starts = SchemaRegexStarts.none
            var canBeEmpty = false
            for alternative in alternatives {
                let (first, empty) = analyse(alternative)
                starts = starts.union(first)
                canBeEmpty = canBeEmpty || empty
            }
            return (starts, canBeEmpty)
        case let .repetition(body, minimum, maximum):
            if maximum == 0 { return (.none, true) }
            let (first, canBeEmpty) = analyse(body)
            return (first, minimum == 0 || canBeEmpty)
        }
    }

    /// The set holding the first UTF-8 byte of code point `value`.
    private static func leading(_ value: UInt32) -> SchemaRegexStarts {
        let byte: UInt32
        switch value {
        case ..<0x80: byte = value
        case ..<0x800: byte = 0xC0 | value >> 6
        case ..<0x10000: byte = 0xE0 | value >> 12
        default: byte = 0xF0 | min(value >> 18, 7)
        }
        var starts = SchemaRegexStarts.none
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: starts.words.0 = bit
        case 1: starts.words.1 = bit
        case 2: starts.words.2 = bit
        default: starts.words.3 = bit
        }
        return starts
    }
}
