/// JSON Pointers (RFC 6901) as the schema compiler and validator use them: escaping tokens,
/// following a pointer into a document, and decoding the percent-encoding of URI fragments.
enum SchemaPointer {
    /// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
    static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else {
            return token
        }
        return replacing(replacing(token, "~", "~0"), "/", "~1")
    }

    /// Undoes ``escape(_:)``.
    static func unescape(_ token: Substring) -> String {
        guard token.contains("~") else { return String(token) }
        return replacing(replacing(String(token), "~1", "/"), "~0", "~")
    }

    /// The pointer `pointer` extended by one token.
    static func appending(_ pointer: String, _ token: String) -> String {
        pointer + "/" + escape(token)
    }

    /// The unescaped tokens of a pointer, or `nil` if it is neither empty nor starts with `/`.
    static func tokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.hasPrefix("/") else { return nil }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(unescape)
    }

    /// The value `pointer` designates in `document`, or `nil` if there is none.
    static func resolve(_ pointer: String, in document: JSON) -> JSON? {
        guard let tokens = tokens(pointer) else { return nil }
        var current = document
        for token in tokens {
            switch current {
            case let .object(members):
                guard let next = members[token] else { return nil }
                current = next
            case let .array(elements):
                guard let index = arrayIndex(token), index < elements.count else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The pointer without its last token, or `nil` for the empty pointer.
    static func parent(_ pointer: String) -> String? {
        guard !pointer.isEmpty, let slash = pointer.lastIndex(of: "/") else { return nil }
        return String(pointer[..<slash])
    }

    /// Decodes `%XX` escapes; `nil` if an escape is malformed or the bytes are not UTF-8.
    static func percentDecoded(_ text: String) -> String? {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.popFirst().flatMap(hexValue), let low = iterator.popFirst().flatMap(hexValue)
            else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Every occurrence of `target` in `text` replaced by `replacement`.
    private static func replacing(_ text: String, _ target: String, _ replacement: String) -> String {
        var result = ""
        var rest = text[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }

    private static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            token == "0" || !token.hasPrefix("0")
        else { return nil }
        return Int(token)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// One step of a path into an instance or a schema; the validator keeps a stack of them while it
/// collects errors, and renders them as a JSON Pointer only when it reports one.
enum SchemaPathComponent: Sendable {
    case key(String)
    case index(Int)

    /// Renders a stack of components as a JSON Pointer.
    static func pointer(_ components: some Collection<SchemaPathComponent>) -> String {
        var result = ""
        for component in components {
            result += "/"
            switch component {
            case let .key(key): result += SchemaPointer.escape(key)
            case let .index(index): result += String(index)
            }
        }
        return result
    }
}
