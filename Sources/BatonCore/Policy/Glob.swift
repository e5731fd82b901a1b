/// A name pattern of a policy rule: a plain name (`refund`), or a glob such as `refund_*`,
/// `*.internal`, `db.delete_?` or `[a-c]*`.
///
/// `*` matches any run of characters (none included), `?` exactly one, `[abc]` and `[a-z]` one
/// of a set, `[!a-z]` (or `[^a-z]`) one not in it, and `\` makes the next character literal.
/// Everything else matches itself. A glob matches the whole name, case-sensitively, character
/// by Unicode scalar. It is compiled once; plain names, `*`, `prefix*` and `*suffix` take fast
/// paths that compare UTF-8 bytes.
///
/// ```swift
/// let refunds = try Glob("refund_*")
/// refunds.matches("refund_card")   // true
/// refunds.matches("refund")        // false
/// ```
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    /// The longest pattern accepted, in Unicode scalars.
    public static let maximumLength = 256
    /// The glob that matches every name.
    public static let any = Glob(form: .anything, pattern: "*")

    /// The compiled pattern, shared by copies: a copy costs one reference count.
    private final class Storage: Sendable {
        let pattern: String
        let form: Form

        init(pattern: String, form: Form) {
            self.pattern = pattern
            self.form = form
        }

        func matches(_ name: String) -> Bool {
            switch form {
            case let .exact(_, bytes): return name.utf8.count == bytes.count && Glob.bytes(of: name, at: 0, equal: bytes)
            case .anything: return true
            case let .prefix(bytes): return name.utf8.count >= bytes.count && Glob.bytes(of: name, at: 0, equal: bytes)
            case let .suffix(bytes):
                let count = name.utf8.count
                return count >= bytes.count && Glob.bytes(of: name, at: count - bytes.count, equal: bytes)
            case let .general(tokens): return Glob.match(tokens, name.unicodeScalars)
            }
        }
    }

    private let storage: Storage

    /// The pattern as written.
    public var pattern: String { storage.pattern }
    var form: Form { storage.form }

    /// Plain names, prefixes and suffixes are kept as UTF-8 bytes, compared without decoding.
    enum Form: Sendable, Hashable {
        case exact(String, [UInt8])
        case anything
        case prefix([UInt8])
        case suffix([UInt8])
        case general([Token])
    }

    enum Token: Sendable, Hashable {
        case scalar(Unicode.Scalar)
        case one
        case star
        case set(ranges: [ClosedRange<UInt32>], negated: Bool)
    }

    private init(form: Form, pattern: String) {
        self.storage = Storage(pattern: pattern, form: form)
    }

    /// Compiles `pattern`. Throws ``PolicyError/invalidGlob(pattern:reason:)`` for an empty or
    /// overlong pattern, a control character, an unclosed or empty `[…]`, a reversed range or a
    /// trailing `\`.
    public init(_ pattern: String) throws(PolicyError) {
        self.init(form: try Self.compile(Self.tokens(of: pattern)), pattern: pattern)
    }

    /// The name itself, when the pattern has no wildcard.
    public var literal: String? {
        if case let .exact(name, _) = form { return name }
        return nil
    }

    /// Whether the whole of `name` matches.
    public func matches(_ name: String) -> Bool { storage.matches(name) }

    public var description: String { pattern }

    public static func == (lhs: Glob, rhs: Glob) -> Bool { lhs.pattern == rhs.pattern }

    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    // MARK: - Compiling

    private static func tokens(of pattern: String) throws(PolicyError) -> [Token] {
        func invalid(_ reason: String) -> PolicyError { .invalidGlob(pattern: pattern, reason: reason) }
        let scalars = Array(pattern.unicodeScalars)
        guard !scalars.isEmpty else { throw invalid("the pattern is empty; write a name, or * for every name") }
        guard scalars.count <= maximumLength else {
            throw invalid("the pattern has \(scalars.count) characters; at most \(maximumLength) are allowed")
        }
        if let bad = scalars.first(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{FFFD}" }) {
            let what = bad == "\u{FFFD}" ? "U+FFFD, the stand-in for bytes that were not UTF-8" : "the control character U+\(String(bad.value, radix: 16, uppercase: true))"
            throw invalid("the pattern contains \(what); write it in plain text")
        }
        var tokens: [Token] = []
        var position = 0
        while position < scalars.count {
            let scalar = scalars[position]
            position += 1
            switch scalar {
            case "*": if tokens.last != .star { tokens.append(.star) }
            case "?": tokens.append(.one)
            case "\\":
                guard position < scalars.count else { throw invalid("it ends with '\\', which escapes nothing; write '\\\\' for a backslash") }
                tokens.append(.scalar(scalars[position]))
                position += 1
            case "[": tokens.append(try set(scalars, from: &position, invalid))
            default: tokens.append(.scalar(scalar))
            }
        }
        return tokens
    }

    /// A `[…]` set whose `[` is just before `position`; leaves `position` after its `]`.
    private static func set(_ scalars: [Unicode.Scalar], from position: inout Int, _ invalid: (String) -> PolicyError) throws(PolicyError) -> Token {
        var negated = false
        if position < scalars.count, scalars[position] == "!" || scalars[position] == "^" {
            negated = true
            position += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        while position < scalars.count, scalars[position] != "]" {
            var low = scalars[position]
            position += 1
            if low == "\\", position < scalars.count {
                low = scalars[position]
                position += 1
            }
            var high = low
            if position + 1 < scalars.count, scalars[position] == "-", scalars[position + 1] != "]" {
                high = scalars[position + 1]
                position += 2
                guard low.value <= high.value else { throw invalid("the range '\(low)-\(high)' runs backwards; write '\(high)-\(low)'") }
            }
            ranges.append(low.value...high.value)
        }
        guard position < scalars.count else { throw invalid("a '[' is not closed; close the set with ']', or write '\\[' for a bracket") }
        position += 1
        guard !ranges.isEmpty else { throw invalid("'[]' is an empty set, which matches nothing; list characters such as [abc]") }
        return .set(ranges: ranges, negated: negated)
    }

    private static func compile(_ tokens: [Token]) -> Form {
        func literal(_ tokens: ArraySlice<Token>) -> String? {
            var text = String.UnicodeScalarView()
            for token in tokens {
                guard case let .scalar(scalar) = token else { return nil }
                text.append(scalar)
            }
            return String(text)
        }
        if tokens == [.star] { return .anything }
        if let exact = literal(tokens[...]) { return .exact(exact, Array(exact.utf8)) }
        if tokens.last == .star, let prefix = literal(tokens.dropLast()) { return .prefix(Array(prefix.utf8)) }
        if tokens.first == .star, let suffix = literal(tokens.dropFirst()) { return .suffix(Array(suffix.utf8)) }
        return .general(tokens)
    }

    // MARK: - Matching

    /// Whether the UTF-8 bytes of `name` from `offset` on start with `expected` (which fits).
    fileprivate static func bytes(of name: String, at offset: Int, equal expected: [UInt8]) -> Bool {
        func compare(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            expected.withUnsafeBufferPointer { expected in
                for index in expected.indices where bytes[offset + index] != expected[index] { return false }
                return true
            }
        }
        if let result = name.utf8.withContiguousStorageIfAvailable(compare) { return result }
        var copy = name
        return copy.withUTF8(compare)
    }

    /// Whole-string match with one remembered star: time proportional to the pattern's length
    /// times the name's, never exponential.
    fileprivate static func match(_ tokens: [Token], _ name: String.UnicodeScalarView) -> Bool {
        var index = name.startIndex
        var token = 0
        var star: (token: Int, index: String.UnicodeScalarView.Index)?
        while index < name.endIndex {
            if token < tokens.count, tokens[token] == .star {
                star = (token, index)
                token += 1
            } else if token < tokens.count, accepts(tokens[token], name[index]) {
                token += 1
                index = name.index(after: index)
            } else if let last = star {
                let next = name.index(after: last.index)
                star = (last.token, next)
                token = last.token + 1
                index = next
            } else {
                return false
            }
        }
        while token < tokens.count, tokens[token] == .star { token += 1 }
        return token == tokens.count
    }

    private static func accepts(_ token: Token, _ scalar: Unicode.Scalar) -> Bool {
        switch token {
        case let .scalar(expected): return scalar == expected
        case .one: return true
        case .star: return false
        case let .set(ranges, negated): return ranges.contains { $0.contains(scalar.value) } != negated
        }
    }
}
