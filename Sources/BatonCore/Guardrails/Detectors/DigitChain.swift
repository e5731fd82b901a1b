/// A run of digit groups joined by single separators (space, `-`, `.`), perhaps led by `+` and
/// with groups in parentheses: how phone numbers, payment cards and social security numbers
/// are written. Their scanners read text as such chains and test windows of groups.
///
/// A chain that touches a letter, a digit or `_`, or that continues with `-`, `.` or `/` into
/// one (`A-1001`, `v1.2.3`, `3.14`, a UUID, a git SHA), is part of an identifier or a number:
/// ``forEach(in:_:)`` skips it, so no digit detector looks inside it.
struct DigitChain {
    struct Group {
        /// The digits' bytes (without parentheses).
        var start: Int
        var end: Int
        var parenthesized: Bool
        /// The separator before the group; 0 for none (the first group, or one right after a `)`).
        var separator: UInt8

        var digits: Int { end - start }
    }

    /// Whether the chain starts with `+`.
    var plus = false
    var groups: [Group] = []

    /// Calls `body` with each chain of `bytes` that stands on its own. Reads every byte once.
    static func forEach(in bytes: UnsafeBufferPointer<UInt8>, _ body: (DigitChain) -> Void) {
        var chain = DigitChain()
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let opens = byte.isDigit || (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "(")) && index + 1 < bytes.count && bytes[index + 1].isDigit
            guard opens else {
                index += 1
                continue
            }
            let start = index
            index = chain.read(bytes, from: start)
            if !isJoined(bytes, before: start), !isJoined(bytes, after: index) { body(chain) }
        }
    }

    /// Reads the chain starting at `start`; returns the index after it.
    private mutating func read(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        groups.removeAll(keepingCapacity: true)
        var position = start
        plus = bytes[position] == UInt8(ascii: "+")
        if plus { position += 1 }
        var separator: UInt8 = 0
        while true {
            var parenthesized = false
            if bytes[position] == UInt8(ascii: "(") {
                parenthesized = true
                position += 1
            }
            let groupStart = position
            while position < bytes.count, bytes[position].isDigit { position += 1 }
            let groupEnd = position
            if parenthesized {
                if position < bytes.count, bytes[position] == UInt8(ascii: ")") { position += 1 } else { parenthesized = false }
            }
            groups.append(Group(start: groupStart, end: groupEnd, parenthesized: parenthesized, separator: separator))
            guard position < bytes.count else { return position }
            let next = bytes[position]
            if next == UInt8(ascii: " ") || next == UInt8(ascii: "-") || next == UInt8(ascii: "."), Self.opensGroup(bytes, at: position + 1) {
                separator = next
                position += 1
            } else if parenthesized, Self.opensGroup(bytes, at: position) {
                separator = 0
            } else {
                return position
            }
        }
    }

    /// A digit, or `(` and a digit.
    private static func opensGroup(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index < bytes.count else { return false }
        if bytes[index].isDigit { return true }
        return bytes[index] == UInt8(ascii: "(") && index + 1 < bytes.count && bytes[index + 1].isDigit
    }

    private static func isJoiner(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "#")
    }

    /// Whether the chain starting at `start` continues something before it.
    private static func isJoined(_ bytes: UnsafeBufferPointer<UInt8>, before start: Int) -> Bool {
        guard start > 0 else { return false }
        let previous = bytes[start - 1]
        if previous.isWord || previous == UInt8(ascii: "#") { return true }
        return isJoiner(previous) && start > 1 && bytes[start - 2].isWord
    }

    /// Whether the chain ending before `end` runs on into something after it.
    private static func isJoined(_ bytes: UnsafeBufferPointer<UInt8>, after end: Int) -> Bool {
        guard end < bytes.count else { return false }
        let next = bytes[end]
        if next.isWord { return true }
        return isJoiner(next) && end + 1 < bytes.count && bytes[end + 1].isWord
    }

    /// The digits of groups `first...last`.
    func digitCount(_ first: Int, _ last: Int) -> Int {
        groups[first...last].reduce(0) { $0 + $1.digits }
    }

    /// Whether groups `first...last` are joined by one separator throughout, one of `allowed`.
    func hasUniformSeparator(_ first: Int, _ last: Int, among allowed: [UInt8]) -> Bool {
        guard first < last else { return true }
        let separator = groups[first + 1].separator
        return allowed.contains(separator) && groups[(first + 1)...last].allSatisfy { $0.separator == separator }
    }

    /// The byte range of groups `first...last`, parentheses included.
    func range(_ first: Int, _ last: Int) -> Range<Int> {
        let start = groups[first].start - (groups[first].parenthesized ? 1 : 0) - (first == 0 && plus ? 1 : 0)
        let end = groups[last].end + (groups[last].parenthesized ? 1 : 0)
        return start..<end
    }

    /// Finds, left to right, the longest windows of whole groups that `accepts` (given the
    /// first and last group), each holding at most `maximumDigits` digits and bounded by the
    /// chain's ends or by spaces; windows do not overlap. `accepts` is asked at most
    /// `maximumDigits` times per group, so the work is linear in the chain's length.
    func windows(maximumDigits: Int, _ accepts: (Int, Int) -> Bool) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var first = 0
        while first < groups.count {
            guard first == 0 || groups[first].separator == UInt8(ascii: " ") else {
                first += 1
                continue
            }
            var last = first
            var digits = groups[first].digits
            while last + 1 < groups.count, digits + groups[last + 1].digits <= maximumDigits {
                last += 1
                digits += groups[last].digits
            }
            var matched: Int?
            while last >= first, digits <= maximumDigits {
                if last == groups.count - 1 || groups[last + 1].separator == UInt8(ascii: " "), accepts(first, last) {
                    matched = last
                    break
                }
                digits -= groups[last].digits
                last -= 1
            }
            if let matched {
                found.append(range(first, matched))
                first = matched + 1
            } else {
                first += 1
            }
        }
        return found
    }
}
