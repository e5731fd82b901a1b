/// The formats that start a word and end one: IBANs and the national identity numbers
/// written with letters.
enum WordFormat: Sendable {
    case iban, ukNINO, esDNI, itCodiceFiscale

    var kind: GuardrailDetector {
        switch self {
        case .iban: return .iban
        case .ukNINO: return .ukNINO
        case .esDNI: return .esDNI
        case .itCodiceFiscale: return .itCodiceFiscale
        }
    }

    var masking: TextMatch.Masking {
        switch self {
        case .iban: return .ends(prefix: 4, suffix: 4)
        case .ukNINO: return .ends(prefix: 2, suffix: 0)
        case .esDNI, .itCodiceFiscale: return .ends(prefix: 0, suffix: 2)
        }
    }

    /// The end of this format's match starting at `start`, the start of a word, or `nil`.
    func match(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        switch self {
        case .iban: return IBANScanner.match(bytes, at: start)
        case .ukNINO: return NationalIDScanner.nino(bytes, at: start)
        case .esDNI: return NationalIDScanner.dni(bytes, at: start)
        case .itCodiceFiscale: return NationalIDScanner.codiceFiscale(bytes, at: start)
        }
    }

    /// Finds every format of `formats` in `bytes`, asking each at every word start once, in
    /// one pass. A match must end its word: what follows it is not a letter, digit or `_`.
    static func scan(_ formats: [WordFormat], _ bytes: UnsafeBufferPointer<UInt8>, into matches: inout [TextMatch]) {
        var index = 0
        scanning: while index < bytes.count {
            while index < bytes.count, !bytes[index].isWord { index += 1 }
            guard index < bytes.count else { return }
            for format in formats {
                if let end = format.match(bytes, at: index), end > index, end == bytes.count || !bytes[end].isWord {
                    matches.append(TextMatch(kind: format.kind.rawValue, range: index..<end, masking: format.masking))
                    index = end
                    continue scanning
                }
            }
            while index < bytes.count, bytes[index].isWord { index += 1 }
        }
    }
}
