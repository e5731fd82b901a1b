/// The formats written as digit groups: phone numbers, payment cards, social security numbers.
enum DigitFormat: Sendable {
    case phone, paymentCard, usSSN

    var kind: GuardrailDetector {
        switch self {
        case .phone: return .phone
        case .paymentCard: return .paymentCard
        case .usSSN: return .usSSN
        }
    }

    var masking: TextMatch.Masking {
        switch self {
        case .phone: return .ends(prefix: 0, suffix: 2)
        case .paymentCard, .usSSN: return .ends(prefix: 0, suffix: 4)
        }
    }

    /// The most digits a match holds.
    var maximumDigits: Int {
        switch self {
        case .phone: return 15
        case .paymentCard: return 19
        case .usSSN: return 9
        }
    }

    /// Whether groups `first...last` of `chain`, in the text's bytes, are one of this format.
    func accepts(_ chain: DigitChain, _ first: Int, _ last: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self {
        case .phone: return PhoneScanner.isPhone(chain, first, last, bytes)
        case .paymentCard: return PaymentCardScanner.isCard(chain, first, last, bytes)
        case .usSSN: return NationalIDScanner.isSSN(chain, first, last, bytes)
        }
    }

    /// Finds every format of `formats` in `bytes`, reading the text's digit chains once.
    static func scan(_ formats: [DigitFormat], _ bytes: UnsafeBufferPointer<UInt8>, into matches: inout [TextMatch]) {
        DigitChain.forEach(in: bytes) { chain in
            for format in formats {
                for range in chain.windows(maximumDigits: format.maximumDigits, { format.accepts(chain, $0, $1, bytes) }) {
                    matches.append(TextMatch(kind: format.kind.rawValue, range: range, masking: format.masking))
                }
            }
        }
    }
}
