/// Writing JSON text. Keys are sorted and no insignificant white space is
/// written, so equal values always produce identical bytes: the form hashed by the event chain.
extension JSON {
    /// The canonical, compact JSON text of this value.
    public var canonicalString: String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical, compact JSON text of this value as UTF-8 bytes.
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(into: &out)
        return out
    }

    /// Indented JSON text for people, keys sorted.
    public func prettyString(indent: Int = 2) -> String {
        var out: [UInt8] = []
        writePretty(into: &out, level: 0, indent: indent)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the canonical text of this value to `out`.
    public func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case let .int(value): JSON.writeInt(value, into: &out)
        case let .double(value): JSON.writeDouble(value, into: &out)
        case let .string(value): JSON.writeString(value, into: &out)
        case let .array(values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            out.append(UInt8(ascii: "{"))
            JSON.forEachSorted(members) { position, key, value in
                if position > 0 { out.append(UInt8(ascii: ",")) }
                JSON.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Calls `body` with each member in canonical (sorted-key) order, without copying the members:
    /// small objects, the common case, are ordered by an insertion sort of their indices on the stack.
    static func forEachSorted<Value>(_ members: [String: Value], _ body: (Int, String, Value) -> Void) {
        let count = members.count
        if count == 1, let (key, value) = members.first {
            body(0, key, value)
            return
        }
        guard count > 1, count <= 32 else {
            for (position, key) in members.keys.sorted().enumerated() {
                if let value = members[key] { body(position, key, value) }
            }
            return
        }
        withUnsafeTemporaryAllocation(of: Dictionary<String, Value>.Index.self, capacity: count) { order in
            var filled = 0
            var index = members.startIndex
            while index != members.endIndex {
                let key = members[index].key
                var slot = filled
                while slot > 0, key < members[order[slot - 1]].key {
                    order[slot] = order[slot - 1]
                    slot -= 1
                }
                order[slot] = index
                filled += 1
                members.formIndex(after: &index)
            }
            for position in 0..<filled {
                let (key, value) = members[order[position]]
                body(position, key, value)
            }
        }
    }

    private func writePretty(into out: inout [UInt8], level: Int, indent: Int) {
        func pad(_ depth: Int) {
            out.append(UInt8(ascii: "\n"))
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * indent))
        }
        switch self {
        case let .array(values) where !values.isEmpty:
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                pad(level + 1)
                value.writePretty(into: &out, level: level + 1, indent: indent)
            }
            pad(level)
            out.append(UInt8(ascii: "]"))
        case let .object(members) where !members.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (index, key) in JSON.sortedKeys(members).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                pad(level + 1)
                JSON.writeString(key, into: &out)
                out.append(contentsOf: ": ".utf8)
                members[key]?.writePretty(into: &out, level: level + 1, indent: indent)
            }
            pad(level)
            out.append(UInt8(ascii: "}"))
        default:
            write(into: &out)
        }
    }

    /// Object keys in canonical order: ascending by Unicode scalar values (which is the order of
    /// their UTF-8 bytes for strings in normal form C).
    public static func sortedKeys(_ members: [String: JSON]) -> [String] {
        members.count < 2 ? Array(members.keys) : members.keys.sorted()
    }

    static func writeDouble(_ value: Double, into out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if value.rounded() == value, abs(value) < 1e15 {
            out.append(contentsOf: String(Int(value)).utf8)
        } else {
            out.append(contentsOf: value.description.utf8)
        }
    }

    /// Appends the decimal digits of `value`, without allocating a string.
    static func writeInt(_ value: Int, into out: inout [UInt8]) {
        if value == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch: enough for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            while magnitude > 0 {
                scratch[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            if value < 0 { out.append(UInt8(ascii: "-")) }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(scratch[index]) }
        }
    }

    static func writeString(_ value: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        let clean = value.withUTF8 { bytes -> Bool in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return false
            }
            out.append(contentsOf: bytes)
            return true
        }
        if clean {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSON: CustomStringConvertible {
    public var description: String { canonicalString }
}
