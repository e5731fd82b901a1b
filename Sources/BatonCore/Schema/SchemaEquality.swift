/// Equality as JSON Schema defines it for `const`, `enum` and `uniqueItems`: numbers are equal
/// when they denote the same value (`1 == 1.0`), and strings, object keys included, are equal
/// only when they have the same code points.
///
/// Swift's `String ==` (and so `JSON ==`) treats canonically equivalent strings as equal, so
/// "é" written as one code point equals "e" followed by a combining accent; JSON Schema does
/// not. This refines `JSON ==`: values equal here are always equal there too.
enum SchemaEquality {
    static func equal(_ a: JSON, _ b: JSON) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)):
            return sameCodePoints(x, y)
        case let (.array(x), .array(y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case let (.object(x), .object(y)):
            guard x.count == y.count else { return false }
            for (key, value) in x {
                guard let index = y.index(forKey: key) else { return false }
                let (otherKey, otherValue) = y[index]
                guard sameCodePoints(key, otherKey), equal(value, otherValue) else {
                    return false
                }
            }
            return true
        default:
            return a == b
        }
    }

    /// True when two strings have the same code points: the same UTF-8 bytes.
    static func sameCodePoints(_ x: String, _ y: String) -> Bool {
        guard x.utf8.count == y.utf8.count else { return false }
        var x = x
        var y = y
        return x.withUTF8 { a in y.withUTF8 { b in a.elementsEqual(b) } }
    }

    /// True when `values` has an element equal to `value`.
    static func contains(_ values: [JSON], _ value: JSON) -> Bool {
        values.contains { equal($0, value) }
    }

    /// The positions of the first two equal elements of `items`, if any.
    static func duplicate(in items: [JSON]) -> (Int, Int)? {
        if items.count < 2 { return nil }
        if items.count <= 16 {
            for second in 1..<items.count {
                for first in 0..<second where equal(items[first], items[second]) { return (first, second) }
            }
            return nil
        }
        // Values equal here are equal under JSON's Hashable too, so bucket by that first.
        var buckets: [JSON: [Int]] = [:]
        for (index, item) in items.enumerated() {
            if let first = buckets[item]?.first(where: { equal(items[$0], item) }) { return (first, index) }
            buckets[item, default: []].append(index)
        }
        return nil
    }
}
