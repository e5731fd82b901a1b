/// Finds national identity numbers, each by its format and, where it has one, its check:
///
/// - **US SSN**: `AAA-GG-SSSS` or `AAA GG SSSS` (never nine bare digits, which are too often
///   something else), outside the ranges never issued: area 000, 666 and 900 to 999, group 00,
///   serial 0000, and the numbers made public in advertising (078-05-1120, 219-09-9999).
/// - **UK National Insurance number**: two letters, six digits, a letter A to D, together or
///   spaced in pairs (`AB123456C`, `AB 12 34 56 C`); the first letter not D, F, I, Q, U or V, the
///   second not D, F, I, O, Q, U or V, and not the prefixes BG, GB, KN, NK, NT, TN or ZZ (never
///   issued; so the common example QQ123456C is not matched). Uppercase only.
/// - **Spanish DNI and NIE**: eight digits, or X, Y or Z and seven digits, then the check
///   letter (the number modulo 23), perhaps after a dash: `12345678Z`, `X1234567L`.
/// - **Italian codice fiscale**: sixteen characters, six letters, two digits, the month's
///   letter, two digits, a letter, three digits and the check letter (digits may be the letters
///   that replace them in duplicate codes): `RSSMRA85T10A562S`.
///
/// Each must stand on its own: not inside a word or a longer number.
enum NationalIDScanner {
    private static let ssnSeparators: [UInt8] = [UInt8(ascii: "-"), UInt8(ascii: " ")]

    static func isSSN(_ chain: DigitChain, _ first: Int, _ last: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard last - first == 2, first > 0 || !chain.plus else { return false }
        let groups = chain.groups[first...last]
        guard groups[first].digits == 3, groups[first + 1].digits == 2, groups[last].digits == 4, groups.allSatisfy({ !$0.parenthesized }),
            chain.hasUniformSeparator(first, last, among: ssnSeparators)
        else { return false }
        func number(_ group: DigitChain.Group) -> Int { (group.start..<group.end).reduce(0) { $0 * 10 + bytes[$1].digitValue } }
        let (area, group, serial) = (number(groups[first]), number(groups[first + 1]), number(groups[last]))
        guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return false }
        return !(area == 78 && group == 5 && serial == 1120) && !(area == 219 && group == 9 && serial == 9999)
    }

    /// The letters (bit 0 is A) a National Insurance number never starts with, and never has second.
    private static let ninoNeverFirst = letterMask("DFIQUV"), ninoNeverSecond = letterMask("DFIOQUV")
    /// The prefixes never issued.
    private static let ninoNeverPrefixes = ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].map { Array($0.utf8) }

    private static func letterMask(_ letters: String) -> UInt32 {
        letters.utf8.reduce(0) { $0 | 1 << UInt32($1 - UInt8(ascii: "A")) }
    }

    static func nino(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        guard start + 9 <= bytes.count, bytes[start].isUpper, bytes[start + 1].isUpper,
            ninoNeverFirst & 1 << UInt32(bytes[start] - UInt8(ascii: "A")) == 0, ninoNeverSecond & 1 << UInt32(bytes[start + 1] - UInt8(ascii: "A")) == 0,
            !ninoNeverPrefixes.contains(where: { $0[0] == bytes[start] && $0[1] == bytes[start + 1] })
        else { return nil }
        let spaced = bytes[start + 2] == UInt8(ascii: " ")
        var position = start + 2
        for _ in 0..<3 {
            if spaced {
                guard position < bytes.count, bytes[position] == UInt8(ascii: " ") else { return nil }
                position += 1
            }
            guard position + 2 <= bytes.count, bytes[position].isDigit, bytes[position + 1].isDigit else { return nil }
            position += 2
        }
        if spaced, position < bytes.count, bytes[position] == UInt8(ascii: " ") { position += 1 }
        guard position < bytes.count, (UInt8(ascii: "A")...UInt8(ascii: "D")).contains(bytes[position]) else { return nil }
        return position + 1
    }

    static func dni(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var position = start
        var number = 0
        switch bytes[position].uppercased {
        case UInt8(ascii: "X"), UInt8(ascii: "Y"), UInt8(ascii: "Z"):
            number = Int(bytes[position].uppercased - UInt8(ascii: "X"))
            position += 1
        default:
            guard bytes[position].isDigit else { return nil }
        }
        let digitsStart = position
        while position < bytes.count, bytes[position].isDigit, position - digitsStart < 8 {
            number = number * 10 + bytes[position].digitValue
            position += 1
        }
        guard position - start == 8 else { return nil }
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, bytes[position].uppercased == Checksums.dniLetters[number % 23] else { return nil }
        return position + 1
    }

    /// A codice fiscale's shape: L a letter, D a digit or the letter that stands for it in
    /// duplicate codes (LMNPQRSTUV for 0 to 9), M a month's letter.
    private static let fiscalShape = Array("LLLLLLDDMDDLDDDL".utf8)
    private static let fiscalDigitLetters = Array("LMNPQRSTUV".utf8), fiscalMonths = Array("ABCDEHLMPRST".utf8)

    static func codiceFiscale(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        guard start + 16 <= bytes.count, bytes[start].isLetter else { return nil }
        for (offset, expected) in fiscalShape.enumerated() {
            let character = bytes[start + offset].uppercased
            switch expected {
            case UInt8(ascii: "L"): guard character.isUpper else { return nil }
            case UInt8(ascii: "M"): guard fiscalMonths.contains(character) else { return nil }
            default: guard character.isDigit || fiscalDigitLetters.contains(character) else { return nil }
            }
        }
        let check = Checksums.codiceFiscaleCheck(bytes[start..<start + 15].lazy.map(\.uppercased))
        return check == bytes[start + 15].uppercased ? start + 16 : nil
    }
}
