/// A set of code points as an ECMA-262 character class describes it (`[a-z_]`, `\d`, `\p{L}`,
/// `[^\s]`), with a bitmap for ASCII so that the common case is one shift and mask.
struct SchemaRegexSet: Sendable {
    /// One member of a class: a range of code points, or a named class.
    enum Item: Sendable {
        case range(UInt32, UInt32)
        case digit(negated: Bool)
        case word(negated: Bool)
        case space(negated: Bool)
        case property(SchemaRegexProperty, negated: Bool)
    }

    private let items: [Item]
    private let negated: Bool
    /// Membership of code points 0–63 and 64–127, one bit each.
    let asciiLow: UInt64
    let asciiHigh: UInt64

    init(_ items: [Item], negated: Bool) {
        self.items = items
        self.negated = negated
        var low: UInt64 = 0
        var high: UInt64 = 0
        for scalar in UInt32(0)..<128 where Self.contains(scalar, items: items) != negated {
            if scalar < 64 { low |= 1 << UInt64(scalar) } else { high |= 1 << UInt64(scalar - 64) }
        }
        self.asciiLow = low
        self.asciiHigh = high
    }

    /// True when the code point is in the set.
    @inline(__always)
    func contains(_ scalar: UInt32) -> Bool {
        if scalar < 64 { return asciiLow & (1 << UInt64(scalar)) != 0 }
        if scalar < 128 { return asciiHigh & (1 << UInt64(scalar - 64)) != 0 }
        return Self.contains(scalar, items: items) != negated
    }

    private static func contains(_ scalar: UInt32, items: [Item]) -> Bool {
        for item in items {
            switch item {
            case let .range(low, high):
                if scalar >= low, scalar <= high { return true }
            case let .digit(negated):
                if isDigit(scalar) != negated { return true }
            case let .word(negated):
                if isWordCharacter(scalar) != negated { return true }
            case let .space(negated):
                if isSpace(scalar) != negated { return true }
            case let .property(property, negated):
                if property.contains(scalar) != negated { return true }
            }
        }
        return false
    }

    /// `\d`: ASCII digits only, as in ECMA-262.
    static func isDigit(_ scalar: UInt32) -> Bool { scalar >= 0x30 && scalar <= 0x39 }

    /// `\w`: ASCII letters, digits and `_`, as in ECMA-262 without the `i` flag.
    static func isWordCharacter(_ scalar: UInt32) -> Bool {
        (scalar >= 0x61 && scalar <= 0x7A) || (scalar >= 0x41 && scalar <= 0x5A) || isDigit(scalar) || scalar == 0x5F
    }

    /// `\s`: ECMA-262's white space and line terminators.
    static func isSpace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    /// Line terminators, which `.` does not match.
    static func isLineTerminator(_ scalar: UInt32) -> Bool {
        scalar == 0x0A || scalar == 0x0D || scalar == 0x2028 || scalar == 0x2029
    }
}

/// A Unicode property usable in `\p{…}`: a general category (or a group of them) or one of the
/// common binary properties Swift's standard library exposes.
enum SchemaRegexProperty: Sendable {
    case categories(Set<Unicode.GeneralCategory>)
    case any
    case ascii
    case assigned
    case binary(Binary)

    enum Binary: Sendable {
        case alphabetic, whiteSpace, uppercase, lowercase, emoji, math, dash, hexDigit, asciiHexDigit, ideographic
    }

    /// The property `\p{name}` denotes, or `nil` when it is not one this engine knows (scripts,
    /// for one); the pattern then falls back to the ICU engine.
    init?(name: String) {
        var name = name
        for prefix in ["General_Category=", "gc="] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
        }
        if let categories = Self.categoryNames[name] {
            self = .categories(categories)
            return
        }
        switch name {
        case "Any": self = .any
        case "ASCII": self = .ascii
        case "Assigned": self = .assigned
        case "Alphabetic", "Alpha": self = .binary(.alphabetic)
        case "White_Space", "space": self = .binary(.whiteSpace)
        case "Uppercase", "Upper": self = .binary(.uppercase)
        case "Lowercase", "Lower": self = .binary(.lowercase)
        case "Emoji": self = .binary(.emoji)
        case "Math": self = .binary(.math)
        case "Dash": self = .binary(.dash)
        case "Hex_Digit", "Hex": self = .binary(.hexDigit)
        case "ASCII_Hex_Digit", "AHex": self = .binary(.asciiHexDigit)
        case "Ideographic", "Ideo": self = .binary(.ideographic)
        default: return nil
        }
    }

    func contains(_ value: UInt32) -> Bool {
        switch self {
        case .any: return true
        case .ascii: return value < 128
        default: break
        }
        guard let scalar = Unicode.Scalar(value) else {
            // A surrogate code point: only the category Cs, or "unassigned"-like queries, hold.
            if case let .categories(set) = self { return set.contains(.surrogate) }
            return false
        }
        let properties = scalar.properties
        switch self {
        case let .categories(set): return set.contains(properties.generalCategory)
        case .assigned: return properties.generalCategory != .unassigned
        case let .binary(binary):
            switch binary {
            case .alphabetic: return properties.isAlphabetic
            case .whiteSpace: return properties.isWhitespace
            case .uppercase: return properties.isUppercase
            case .lowercase: return properties.isLowercase
            case .emoji: return properties.isEmoji
            case .math: return properties.isMath
            case .dash: return properties.isDash
            case .hexDigit: return properties.isHexDigit
            case .asciiHexDigit: return properties.isASCIIHexDigit
            case .ideographic: return properties.isIdeographic
            }
        case .any, .ascii: return true
        }
    }

    /// General category names and aliases (Unicode's PropertyValueAliases.txt) to categories.
    private static let categoryNames: [String: Set<Unicode.GeneralCategory>] = {
        let letters: Set<Unicode.GeneralCategory> = [
            .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
        ]
        let cased: Set<Unicode.GeneralCategory> = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter]
        let marks: Set<Unicode.GeneralCategory> = [.nonspacingMark, .spacingMark, .enclosingMark]
        let numbers: Set<Unicode.GeneralCategory> = [.decimalNumber, .letterNumber, .otherNumber]
        let punctuation: Set<Unicode.GeneralCategory> = [
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation,
        ]
        let symbols: Set<Unicode.GeneralCategory> = [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]
        let separators: Set<Unicode.GeneralCategory> = [.spaceSeparator, .lineSeparator, .paragraphSeparator]
        let others: Set<Unicode.GeneralCategory> = [.control, .format, .surrogate, .privateUse, .unassigned]
        let table: [([String], Set<Unicode.GeneralCategory>)] = [
            (["L", "Letter"], letters), (["LC", "Cased_Letter"], cased),
            (["Lu", "Uppercase_Letter"], [.uppercaseLetter]), (["Ll", "Lowercase_Letter"], [.lowercaseLetter]),
            (["Lt", "Titlecase_Letter"], [.titlecaseLetter]), (["Lm", "Modifier_Letter"], [.modifierLetter]),
            (["Lo", "Other_Letter"], [.otherLetter]),
            (["M", "Mark", "Combining_Mark"], marks), (["Mn", "Nonspacing_Mark"], [.nonspacingMark]),
            (["Mc", "Spacing_Mark"], [.spacingMark]), (["Me", "Enclosing_Mark"], [.enclosingMark]),
            (["N", "Number"], numbers), (["Nd", "Decimal_Number", "digit"], [.decimalNumber]),
            (["Nl", "Letter_Number"], [.letterNumber]), (["No", "Other_Number"], [.otherNumber]),
            (["P", "Punctuation", "punct"], punctuation),
            (["Pc", "Connector_Punctuation"], [.connectorPunctuation]),
            (["Pd", "Dash_Punctuation"], [.dashPunctuation]), (["Ps", "Open_Punctuation"], [.openPunctuation]),
            (["Pe", "Close_Punctuation"], [.closePunctuation]),
            (["Pi", "Initial_Punctuation"], [.initialPunctuation]),
            (["Pf", "Final_Punctuation"], [.finalPunctuation]), (["Po", "Other_Punctuation"], [.otherPunctuation]),
            (["S", "Symbol"], symbols), (["Sm", "Math_Symbol"], [.mathSymbol]),
            (["Sc", "Currency_Symbol"], [.currencySymbol]), (["Sk", "Modifier_Symbol"], [.modifierSymbol]),
            (["So", "Other_Symbol"], [.otherSymbol]),
            (["Z", "Separator"], separators), (["Zs", "Space_Separator"], [.spaceSeparator]),
            (["Zl", "Line_Separator"], [.lineSeparator]), (["Zp", "Paragraph_Separator"], [.paragraphSeparator]),
            (["C", "Other"], others), (["Cc", "Control", "cntrl"], [.control]), (["Cf", "Format"], [.format]),
            (["Cs", "Surrogate"], [.surrogate]), (["Co", "Private_Use"], [.privateUse]),
            (["Cn", "Unassigned"], [.unassigned]),
        ]
        var names: [String: Set<Unicode.GeneralCategory>] = [:]
        for (aliases, categories) in table {
            for alias in aliases { names[alias] = categories }
        }
        return names
    }()
}
