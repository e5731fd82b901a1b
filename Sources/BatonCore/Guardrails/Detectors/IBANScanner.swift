/// Finds IBANs: a country code of ``lengths``, two check digits and the account number, to the
/// country's exact length, written together (`DE89370400440532013000`) or in groups of four
/// (`DE89 3704 0044 0532 0130 00`), with a valid mod-97 check. Letters may be lowercase.
///
/// Not matched: countries outside the table, an IBAN whose length or check is wrong, one
/// that runs on into a word or a longer number.
enum IBANScanner {
    /// The IBAN's length in each country of the SWIFT registry that this table covers: every
    /// SEPA country and more.
    static let lengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "BY": 28, "CH": 21,
        "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
        "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
        "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
        "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
        "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
        "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    ]

    /// The same table by the two bytes of the country code, for the scan.
    private static let lengthsByCode: [UInt16: Int] = Dictionary(uniqueKeysWithValues: lengths.map { code, length in
        let bytes = Array(code.utf8)
        return (UInt16(bytes[0]) << 8 | UInt16(bytes[1]), length)
    })

    /// The end of the IBAN starting at `start`, or `nil`.
    static func match(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        guard start + 4 <= bytes.count, bytes[start].isLetter, bytes[start + 1].isLetter, bytes[start + 2].isDigit, bytes[start + 3].isDigit,
            let length = lengthsByCode[UInt16(bytes[start].uppercased) << 8 | UInt16(bytes[start + 1].uppercased)]
        else { return nil }
        var characters: [UInt8] = []
        characters.reserveCapacity(length)
        var position = start
        var grouped: Bool?
        while characters.count < length {
            if characters.count > 0, characters.count % 4 == 0, position < bytes.count {
                let spaced = bytes[position] == UInt8(ascii: " ")
                if grouped == nil { grouped = spaced }
                if grouped != spaced { return nil }
                if spaced { position += 1 }
            }
            guard position < bytes.count, bytes[position].isAlphanumeric else { return nil }
            characters.append(bytes[position].uppercased)
            position += 1
        }
        return Checksums.ibanMod97(characters) ? position : nil
    }
}
