/// Finds phone numbers written the ways people write them, and not every run of digits.
///
/// A window of a ``DigitChain`` is a phone number when it is one of:
/// - **international**: `+`, a country code not starting with 0, then 8 to 15 digits in all
///   (E.164), in any grouping: `+44 20 7946 0958`, `+1 (555) 123-4567`, `+4915123456789`;
/// - **North American**: `NXX XXX XXXX` (an area code whose first digit N is 2 to 9), perhaps
///   led by `1`, joined by one kind of separator, or with the area code in parentheses:
///   `555-123-4567`, `(555) 123-4567`, `1 555.123.4567` (exchanges starting with 0 or 1 are not
///   assigned, but examples use them, and a guardrail had better flag them);
/// - **national with a trunk 0**: 10 to 12 digits starting with 0 and then not 0, in at least
///   two groups of two or more digits, joined by one kind of separator (the first group may be
///   in parentheses): `020 7946 0958`, `06 12 34 56 78`, `(030) 1234567`.
///
/// Deliberately not matched: digits without separators (`5551234567`, order and account
/// numbers), dates (`2024-01-15`, `15.01.2024`: no rule fits their groups), times, version
/// numbers and IP addresses, numbers inside identifiers (see ``DigitChain``), and national
/// numbers of 9 digits (some Belgian, Italian and Swedish ones), which look like too many
/// other things.
enum PhoneScanner {
    private static let separators: [UInt8] = [UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: ".")]
    private static let afterParenthesis: [UInt8] = [0, UInt8(ascii: " ")]

    static func isPhone(_ chain: DigitChain, _ first: Int, _ last: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let groups = chain.groups
        let digits = chain.digitCount(first, last)
        let lead = bytes[groups[first].start]
        if first == 0, chain.plus {
            return (8...15).contains(digits) && lead != UInt8(ascii: "0") && !groups[first].parenthesized
        }
        if isNorthAmerican(chain, first, last, bytes) { return true }
        guard last > first, (10...12).contains(digits), lead == UInt8(ascii: "0"), groups[first].digits >= 2,
            bytes[groups[first].start + 1] != UInt8(ascii: "0"), groups[first...last].allSatisfy({ $0.digits >= 2 })
        else { return false }
        let rest = groups[first].parenthesized ? first + 1 : first
        if groups[first].parenthesized, !afterParenthesis.contains(groups[first + 1].separator) { return false }
        return groups[(first + 1)...last].allSatisfy { !$0.parenthesized } && chain.hasUniformSeparator(rest, last, among: separators)
    }

    private static func isNorthAmerican(_ chain: DigitChain, _ first: Int, _ last: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let groups = chain.groups
        var area = first
        if last - first == 3, groups[first].digits == 1, bytes[groups[first].start] == UInt8(ascii: "1"), !groups[first].parenthesized {
            area += 1
        }
        guard last - area == 2 else { return false }
        let (exchange, line) = (groups[area + 1], groups[last])
        guard groups[area].digits == 3, exchange.digits == 3, line.digits == 4, !exchange.parenthesized, !line.parenthesized,
            bytes[groups[area].start] >= UInt8(ascii: "2"), separators.contains(line.separator)
        else { return false }
        if groups[area].parenthesized { return exchange.separator == 0 || exchange.separator == UInt8(ascii: " ") }
        return exchange.separator == line.separator
    }
}
