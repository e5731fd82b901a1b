/// Finds payment card numbers: 13 to 19 digits, together or in groups (the first of four
/// digits, the others of three to six) joined by spaces or by dashes throughout, with the
/// prefix and a length of a known issuer (``issuers``) and a valid Luhn check digit.
///
/// The Luhn check alone lets one random number in ten through; with the issuer's prefix and
/// length, far fewer. Not matched: digits inside identifiers and longer numbers (see
/// ``DigitChain``), numbers of brands not in the table.
enum PaymentCardScanner {
    /// An issuer's range of prefixes (compared on as many leading digits as the bounds have) and
    /// its card lengths.
    struct Issuer {
        var prefixes: ClosedRange<Int>
        var lengths: ClosedRange<Int>

        /// How many leading digits the prefixes compare.
        var width: Int {
            var width = 1
            var bound = prefixes.upperBound
            while bound >= 10 {
                bound /= 10
                width += 1
            }
            return width
        }
    }

    /// Visa, Mastercard, American Express, Discover, JCB, Diners Club, UnionPay, Maestro and Mir.
    static let issuers: [Issuer] = [
        Issuer(prefixes: 4...4, lengths: 13...19),  // Visa (13, 16 and 19 in practice)
        Issuer(prefixes: 51...55, lengths: 16...16), Issuer(prefixes: 2221...2720, lengths: 16...16),  // Mastercard
        Issuer(prefixes: 34...34, lengths: 15...15), Issuer(prefixes: 37...37, lengths: 15...15),  // American Express
        Issuer(prefixes: 6011...6011, lengths: 16...19), Issuer(prefixes: 644...649, lengths: 16...19),
        Issuer(prefixes: 65...65, lengths: 16...19),  // Discover
        Issuer(prefixes: 3528...3589, lengths: 16...19),  // JCB
        Issuer(prefixes: 300...305, lengths: 14...19), Issuer(prefixes: 36...36, lengths: 14...19),
        Issuer(prefixes: 38...39, lengths: 14...19),  // Diners Club
        Issuer(prefixes: 62...62, lengths: 16...19),  // UnionPay
        Issuer(prefixes: 50...50, lengths: 13...19), Issuer(prefixes: 56...58, lengths: 13...19),
        Issuer(prefixes: 63...63, lengths: 13...19), Issuer(prefixes: 67...67, lengths: 13...19),  // Maestro
        Issuer(prefixes: 2200...2204, lengths: 16...19),  // Mir
    ]

    private static let separators: [UInt8] = [UInt8(ascii: " "), UInt8(ascii: "-")]

    static func isCard(_ chain: DigitChain, _ first: Int, _ last: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let groups = chain.groups[first...last]
        let count = chain.digitCount(first, last)
        guard count >= 13, first > 0 || !chain.plus, groups.allSatisfy({ !$0.parenthesized }) else { return false }
        if first < last {
            guard chain.hasUniformSeparator(first, last, among: separators), groups[first].digits == 4,
                groups.dropFirst().allSatisfy({ (3...6).contains($0.digits) })
            else { return false }
        }
        var digits: [Int] = []
        digits.reserveCapacity(count)
        for group in groups {
            for index in group.start..<group.end { digits.append(bytes[index].digitValue) }
        }
        return hasIssuer(digits) && Checksums.luhn(digits)
    }

    private static func hasIssuer(_ digits: [Int]) -> Bool {
        issuers.contains { issuer in
            guard issuer.lengths.contains(digits.count) else { return false }
            let prefix = digits.prefix(issuer.width).reduce(0) { $0 * 10 + $1 }
            return issuer.prefixes.contains(prefix)
        }
    }
}
