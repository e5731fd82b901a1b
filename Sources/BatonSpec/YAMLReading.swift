import BatonCore
import Yams

/// A YAML mapping whose keys are strings, in document order.
struct YAMLMapping {
    struct Entry {
        let key: String
        let keyPosition: Position?
        let value: YAMLNode
    }

    let path: String
    let position: Position?
    let entries: [Entry]

    func value(_ key: String) -> YAMLNode? { entries.first { $0.key == key }?.value }
    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }
    func path(_ key: String) -> String { DecodeContext.join(path, key) }
    func keyPosition(_ key: String) -> Position? { entries.first { $0.key == key }?.keyPosition }
}

/// The kinds of scalar Yams resolves, by tag.
enum ScalarKind {
    case null, bool, int, float, string
}

extension YAMLNode {
    /// The resolved kind of a scalar; `nil` for a collection.
    var scalarKind: ScalarKind? {
        guard case .scalar = self else { return nil }
        switch tag.description {
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue: return .bool
        case Tag.Name.int.rawValue: return .int
        case Tag.Name.float.rawValue: return .float
        default: return .string
        }
    }

    var isNull: Bool { scalarKind == .null }

    /// The integer of an integer scalar (YAML 1.2: decimal, `0x` hex, `0o` octal), if it fits.
    var integerValue: Int? {
        guard scalarKind == .int, case let .scalar(scalar) = self else { return nil }
        let text = scalar.string
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        return Int(text)
    }

    /// The value of an integer or decimal scalar.
    var numberValue: Double? {
        guard scalarKind == .int || scalarKind == .float, case let .scalar(scalar) = self else { return nil }
        if let integer = integerValue { return Double(integer) }
        let text = scalar.string
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: return Double(text)
        }
    }

    /// The value of a boolean scalar.
    var booleanValue: Bool? {
        guard scalarKind == .bool, case let .scalar(scalar) = self else { return nil }
        return scalar.string.lowercased() == "true"
    }

    /// How a diagnostic names this value: `"three"`, `3.5`, `true`, `null`, `a list`, `a mapping`.
    var found: String {
        switch self {
        case let .scalar(scalar):
            switch scalarKind {
            case .null?: return scalar.string.isEmpty ? "nothing" : "null"
            case .string?: return "\"\(Self.excerpt(scalar.string))\""
            default: return Self.excerpt(scalar.string)
            }
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func excerpt(_ text: String, limit: Int = 60) -> String {
        let flat = text.map { $0.isNewline ? "⏎" : $0 == "\"" ? "\\\"" : String($0) }.joined()
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }
}

/// A name: a node id, a state key, a signal. Letters, digits, `_` and `-`, not starting with a digit or `-`.
enum Names {
    static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 128 else { return false }
        guard first == "_" || ("a"..."z").contains(first) || ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || scalar == "-" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
    }
}

extension DecodeContext {
    /// Reads `node` as a mapping with string keys. Keys outside `allowed` (when given) are reported
    /// with a suggestion; a `null` value reads as an empty mapping when `nullIsEmpty`.
    func mapping(
        _ node: YAMLNode, at path: String, expected: String = "a mapping", allowed: [String]? = nil, nullIsEmpty: Bool = false
    ) -> YAMLMapping? {
        if nullIsEmpty, node.isNull { return YAMLMapping(path: path, position: node.position, entries: []) }
        guard case let .mapping(mapping) = node else {
            error(path, node: node, "expected \(expected), found \(node.found)")
            return nil
        }
        var entries: [YAMLMapping.Entry] = []
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key, key.scalarKind != .null else {
                error(path, node: key, "expected a name as a key, found \(key.found)")
                continue
            }
            let name = scalar.string
            let childPath = DecodeContext.join(path, name)
            record(childPath, value: value.position, key: key.position)
            if let allowed, !allowed.contains(name) {
                error(childPath, at: key.position, "unknown key '\(name)'\(Suggestions.didYouMean(name, among: allowed)); expected \(Suggestions.list(allowed))")
                continue
            }
            entries.append(.init(key: name, keyPosition: key.position, value: value))
        }
        return YAMLMapping(path: path, position: node.position, entries: entries)
    }

    /// The value of a key the mapping must have; reports its absence.
    func required(_ mapping: YAMLMapping, _ key: String, _ what: String, at position: Position? = nil) -> YAMLNode? {
        if let value = mapping.value(key) { return value }
        error(mapping.path, at: position ?? mapping.position, "missing required key '\(key)' (\(what))")
        return nil
    }

    /// Reads `node` as a list, recording each element's position; `null` reads as empty when `nullIsEmpty`.
    func list(_ node: YAMLNode, at path: String, expected: String = "a list", nullIsEmpty: Bool = false) -> [(node: YAMLNode, path: String)]? {
        if nullIsEmpty, node.isNull { return [] }
        guard case let .sequence(sequence) = node else {
            error(path, node: node, "expected \(expected), found \(node.found)")
            return nil
        }
        return sequence.enumerated().map { index, element in
            let elementPath = DecodeContext.index(path, index)
            record(elementPath, value: element.position)
            return (element, elementPath)
        }
    }

    /// Reads a non-empty text. Numbers and booleans read as their source text (`version: 2025`).
    func string(_ node: YAMLNode, at path: String, expected: String = "a string") -> String? {
        guard case let .scalar(scalar) = node, !node.isNull, !scalar.string.isEmpty else {
            error(path, node: node, "expected \(expected), found \(node.found)")
            return nil
        }
        return scalar.string
    }

    /// Reads a name (node id, state key, signal): letters, digits, `_`, `-`.
    func name(_ node: YAMLNode, at path: String, _ what: String) -> String? {
        guard let text = string(node, at: path, expected: what) else { return nil }
        guard Names.isValid(text) else {
            error(path, node: node, "expected \(what) (letters, digits, '_' and '-', starting with a letter or '_'), found \(node.found)")
            return nil
        }
        return text
    }

    /// Reads one name or a list of names, with each name's path and position.
    func names(_ node: YAMLNode, at path: String, _ what: String) -> [(name: String, path: String, position: Position?)]? {
        if case .sequence = node {
            guard let elements = list(node, at: path) else { return nil }
            if elements.isEmpty {
                error(path, node: node, "expected \(what) or a non-empty list of them, found an empty list")
                return nil
            }
            var result: [(String, String, Position?)] = []
            var failed = false
            for element in elements {
                if let name = name(element.node, at: element.path, what) {
                    result.append((name, element.path, element.node.position))
                } else {
                    failed = true
                }
            }
            return failed ? nil : result
        }
        guard let name = name(node, at: path, "\(what) or a list of them") else { return nil }
        return [(name, path, node.position)]
    }

    /// Reads a list of plain strings (one string reads as a list of one).
    func strings(_ node: YAMLNode, at path: String, _ what: String) -> [String]? {
        if case .sequence = node {
            guard let elements = list(node, at: path) else { return nil }
            let values = elements.compactMap { string($0.node, at: $0.path, expected: what) }
            return values.count == elements.count ? values : nil
        }
        return string(node, at: path, expected: "\(what) or a list of them").map { [$0] }
    }

    /// Reads an integer of at least `minimum`.
    func integer(_ node: YAMLNode, at path: String, minimum: Int = 1) -> Int? {
        let expected = minimum == 1 ? "a positive integer" : minimum == 0 ? "a non-negative integer" : "an integer of at least \(minimum)"
        guard let value = node.integerValue, value >= minimum else {
            error(path, node: node, "expected \(expected), found \(node.found)")
            return nil
        }
        return value
    }

    /// Reads a finite number in `range`.
    func number(_ node: YAMLNode, at path: String, in range: ClosedRange<Double>, expected: String) -> Double? {
        guard let value = node.numberValue, value.isFinite, range.contains(value) else {
            error(path, node: node, "expected \(expected), found \(node.found)")
            return nil
        }
        return value
    }

    /// The position of character `offset` (0-based) inside a one-line scalar, else of the scalar.
    func position(in node: YAMLNode, offset: Int) -> Position? {
        guard case let .scalar(scalar) = node, let start = node.position else { return node.position }
        guard !scalar.string.contains(where: \.isNewline) else { return start }
        switch scalar.style {
        case .plain: return Position(line: start.line, column: start.column + offset)
        case .singleQuoted where !scalar.string.contains("'"): return Position(line: start.line, column: start.column + 1 + offset)
        case .doubleQuoted where !scalar.string.contains("\\") && !scalar.string.contains("\""):
            return Position(line: start.line, column: start.column + 1 + offset)
        default: return start
        }
    }
}

extension Names {
    /// A workflow's name: letters, digits, `_`, `-` and `.`, starting with a letter or digit.
    static func isValidWorkflowName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 128 else { return false }
        func alphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        return alphanumeric(first) && name.unicodeScalars.allSatisfy { alphanumeric($0) || $0 == "_" || $0 == "-" || $0 == "." }
    }
}
