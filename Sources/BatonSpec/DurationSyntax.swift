/// Durations as workflow files write them: `250ms`, `30s`, `5m`, `1h`, combinations such as
/// `1h30m`, decimals such as `1.5s`, or a plain number of seconds.
enum DurationSyntax {
    /// The longest duration accepted: about 10 years, far below where nanoseconds overflow.
    static let maximumNanoseconds: Int64 = 10 * 366 * 24 * 3600 * 1_000_000_000

    private static let units: [(suffix: String, nanoseconds: Int64)] = [
        ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Parses text with units; `nil` when malformed or too long.
    static func parse(_ text: String) -> Duration? {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty, scalars.count <= 64 else { return nil }
        var position = 0
        var total: Int64 = 0
        func digits() -> String {
            var result = ""
            while position < scalars.count, ("0"..."9").contains(scalars[position]) {
                result.unicodeScalars.append(scalars[position])
                position += 1
            }
            return result
        }
        while position < scalars.count {
            let whole = digits()
            var fraction = ""
            if position < scalars.count, scalars[position] == "." {
                position += 1
                fraction = digits()
                if fraction.isEmpty { return nil }
            }
            guard !whole.isEmpty || !fraction.isEmpty else { return nil }
            var unit: Int64?
            for candidate in units {
                let suffix = Array(candidate.suffix.unicodeScalars)
                if position + suffix.count <= scalars.count, Array(scalars[position..<position + suffix.count]) == suffix {
                    // "m" must not swallow the "m" of "ms".
                    if candidate.suffix == "m", position + 1 < scalars.count, scalars[position + 1] == "s" { continue }
                    unit = candidate.nanoseconds
                    position += suffix.count
                    break
                }
            }
            guard let unit, let part = nanoseconds(whole: whole, fraction: fraction, unit: unit) else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(part)
            guard !overflow, sum <= maximumNanoseconds else { return nil }
            total = sum
        }
        return .nanoseconds(total)
    }

    /// A number of seconds.
    static func seconds(_ value: Double) -> Duration? {
        guard value.isFinite, value >= 0, value * 1e9 <= Double(maximumNanoseconds) else { return nil }
        return .nanoseconds(Int64((value * 1e9).rounded()))
    }

    private static func nanoseconds(whole: String, fraction: String, unit: Int64) -> Int64? {
        guard whole.count <= 12 else { return nil }
        let wholeValue = Int64(whole.isEmpty ? "0" : whole) ?? 0
        let (scaled, overflow) = wholeValue.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        // Six decimals at most: numerator < 1e6 and unit ≤ 3.6e12, so the product fits.
        let digits = String(fraction.prefix(6))
        var fractionValue: Int64 = 0
        if !digits.isEmpty, let numerator = Int64(digits) {
            var denominator: Int64 = 1
            for _ in digits { denominator *= 10 }
            fractionValue = numerator * unit / denominator
        }
        return scaled + fractionValue
    }
}

extension DecodeContext {
    /// Reads `250ms`, `30s`, `5m`, `1h`, `1h30m`, `1.5s`, or a number of seconds.
    func duration(_ node: YAMLNode, at path: String, allowZero: Bool = false) -> Duration? {
        let expected = "a duration such as 250ms, 30s, 5m or 1h (or a number of seconds)"
        var result: Duration?
        switch node.scalarKind {
        case .int?, .float?: result = node.numberValue.flatMap(DurationSyntax.seconds)
        case .string?: result = node.scalar.flatMap { DurationSyntax.parse($0.string) }
        default: break
        }
        guard let result else {
            error(path, node: node, "expected \(expected), found \(node.found)")
            return nil
        }
        if !allowZero && result == .zero {
            error(path, node: node, "expected a duration longer than zero, found \(node.found)")
            return nil
        }
        return result
    }
}
