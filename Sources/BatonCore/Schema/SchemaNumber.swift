/// Exact arithmetic on JSON numbers for `minimum`, `maximum` and `multipleOf`.
///
/// Integers and doubles are compared exactly (an `Int` beyond 2^53 is not rounded to a double
/// first). `multipleOf` works on the shortest decimal form of each number, so `0.0075` is a
/// multiple of `0.0001` although neither is exact in binary, and a huge number such as `1e308`
/// needs no division that could overflow.
enum SchemaNumber {
    /// A number from a schema (a bound or a divisor), kept as written: integer or double.
    enum Value: Sendable, Hashable, CustomStringConvertible {
        case int(Int)
        case double(Double)

        /// The value of a JSON number, or `nil` for other values.
        init?(_ json: JSON) {
            switch json {
            case let .int(value): self = .int(value)
            case let .double(value): self = .double(value)
            default: return nil
            }
        }

        /// The number as JSON text: `10`, `1.5`.
        var description: String {
            switch self {
            case let .int(value): return String(value)
            case let .double(value): return JSON.double(value).canonicalString
            }
        }
    }

    /// The order of an instance and a schema number: negative, zero or positive as `a` is below,
    /// equal to or above `b`; `nil` when `a` is not a number or either is NaN.
    @inline(__always)
    static func compare(_ a: JSON, _ b: Value) -> Int? {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.double(x), .double(y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        case let (.int(x), .double(y)): return compare(x, y)
        case let (.double(x), .int(y)): return compare(y, x).map { -$0 }
        default: return nil
        }
    }

    /// Compares an integer with a double without rounding either.
    private static func compare(_ x: Int, _ y: Double) -> Int? {
        if y.isNaN { return nil }
        if y >= 9_223_372_036_854_775_808.0 { return -1 }
        if y < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = y.rounded(.towardZero)
        let wholeInt = Int(whole)  // exact: |whole| < 2^63
        if x != wholeInt { return x < wholeInt ? -1 : 1 }
        let fraction = y - whole
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }

    /// A finite number as `significand × 10^exponent`, the significand without trailing zeros.
    struct Decimal: Sendable, Hashable {
        var significand: UInt64
        var exponent: Int

        /// The decimal form of a schema number, or `nil` for infinities and NaN.
        init?(_ value: Value) {
            switch value {
            case let .int(integer): self.init(JSON.int(integer))
            case let .double(double): self.init(JSON.double(double))
            }
        }

        /// The decimal form of a JSON number, or `nil` for non-numbers, infinities and NaN.
        init?(_ value: JSON) {
            switch value {
            case let .int(integer):
                self.init(significand: UInt64(integer.magnitude), exponent: 0)
            case let .double(double):
                guard double.isFinite else { return nil }
                if let scaled = Decimal(scaling: double) {
                    self = scaled
                } else if let parsed = Decimal(parsing: double.description) {
                    self = parsed
                } else {
                    return nil
                }
            default:
                return nil
            }
        }

        init(significand: UInt64, exponent: Int) {
            var significand = significand
            var exponent = exponent
            while significand != 0, significand % 10 == 0 {
                significand /= 10
                exponent += 1
            }
            self.significand = significand
            self.exponent = significand == 0 ? 0 : exponent
        }

        /// The decimal with the fewest fractional digits (at most 15) that reads back as `double`,
        /// found without formatting text; `nil` when there is none or it needs more than 53 bits.
        /// For numbers of that kind it is the shortest round-trip form that `description` prints.
        private init?(scaling double: Double) {
            let limit = 9_007_199_254_740_992.0  // 2^53: every integer below is exact
            guard abs(double) < limit else { return nil }
            var scale = 1.0
            for digits in 0...15 {
                let scaled = (double * scale).rounded()
                if abs(scaled) < limit, scaled / scale == double {
                    self.init(significand: UInt64(abs(scaled)), exponent: -digits)
                    return
                }
                scale *= 10
            }
            return nil
        }

        /// Parses Swift's shortest round-trip text of a double: `12.5`, `1e-05`, `1.2e+20`.
        private init?(parsing text: String) {
            var digits: UInt64 = 0
            var exponent = 0
            var seenPoint = false
            var index = text.utf8.startIndex
            let bytes = text.utf8
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") { index = bytes.index(after: index) }
            while index < bytes.endIndex {
                let byte = bytes[index]
                if byte == UInt8(ascii: ".") {
                    seenPoint = true
                } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    let (times10, overflow1) = digits.multipliedReportingOverflow(by: 10)
                    let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                    guard !overflow1, !overflow2 else { return nil }
                    digits = sum
                    if seenPoint { exponent -= 1 }
                } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    guard let power = Int(text[bytes.index(after: index)...]) else { return nil }  // "+20" parses
                    exponent += power
                    break
                } else {
                    return nil
                }
                index = bytes.index(after: index)
            }
            self.init(significand: digits, exponent: exponent)
        }

        /// True when `value` is an integer multiple of this (positive) divisor.
        func divides(_ value: Decimal) -> Bool {
            if value.significand == 0 { return true }
            if significand == 0 { return false }
            let shift = value.exponent - exponent
            if shift >= 0 {
                // value / divisor = (v × 10^shift) / d: is v × 10^shift ≡ 0 (mod d)?
                var remainder = value.significand % significand
                var step = 0
                while remainder != 0, step < shift {
                    let (high, low) = remainder.multipliedFullWidth(by: 10)
                    remainder = significand.dividingFullWidth((high, low)).remainder
                    step += 1
                }
                return remainder == 0
            }
            // value / divisor = v / (d × 10^-shift): v must be divisible by 10^-shift, then by d.
            var quotient = value.significand
            for _ in 0..<(-shift) {
                guard quotient % 10 == 0 else { return false }
                quotient /= 10
            }
            return quotient % significand == 0
        }
    }
}
