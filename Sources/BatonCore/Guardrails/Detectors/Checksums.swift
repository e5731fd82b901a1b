/// The check digits that tell a real number from a run of digits of the same shape.
enum Checksums {
    /// The Luhn (mod 10) check of payment cards: doubling every second digit from the right, the
    /// sum is a multiple of 10.
    static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// The ISO 7064 mod 97-10 check of an IBAN (uppercase letters and digits, without spaces):
    /// with its first four characters moved to the end and each letter read as 10 to 35, the
    /// number leaves 1 when divided by 97.
    static func ibanMod97(_ characters: [UInt8]) -> Bool {
        guard characters.count > 4 else { return false }
        var remainder = 0
        for character in characters[4...] + characters[..<4] {
            if character.isDigit {
                remainder = (remainder * 10 + character.digitValue) % 97
            } else if character.isUpper {
                remainder = (remainder * 100 + Int(character - UInt8(ascii: "A")) + 10) % 97
            } else {
                return false
            }
        }
        return remainder == 1
    }

    /// The check letters of Spanish DNI and NIE numbers, by the number's remainder modulo 23.
    static let dniLetters = Array("TRWAGMYFPDXBNJZSQVHLCKE".utf8)

    /// The check letter of a codice fiscale's first 15 characters (uppercase), or `nil` when one
    /// of them is neither a letter nor a digit.
    static func codiceFiscaleCheck(_ characters: some Sequence<UInt8>) -> UInt8? {
        // Characters in odd positions (1st, 3rd, …) count by this table, digits as the letter
        // of the same index; characters in even positions count their index (A and 0 are 0).
        let odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
        var sum = 0
        for (offset, character) in characters.enumerated() {
            let index: Int
            if character.isDigit {
                index = character.digitValue
            } else if character.isUpper {
                index = Int(character - UInt8(ascii: "A"))
            } else {
                return nil
            }
            sum += offset % 2 == 0 ? odd[index] : index
        }
        return UInt8(ascii: "A") + UInt8(sum % 26)
    }
}
