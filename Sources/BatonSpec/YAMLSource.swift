import BatonCore
import Yams

/// Reading a document safely: size, anchors and aliases, YAML syntax, and Yams's errors turned
/// into positioned diagnostics.
enum YAMLSource {
    /// Workflow files larger than this are refused (1 MiB).
    static let maximumBytes = 1 << 20

    /// YAML 1.2's core schema, not Yams's YAML 1.1 default: only `true`/`false` are booleans
    /// (`yes`, `no`, `on`, `off` stay text), integers are decimal, `0x` hex or `0o` octal (never
    /// sexagesimal: `12:30` is text), dates stay text, and `<<` is not a merge key.
    static let coreSchema: Resolver = {
        // swiftlint:disable force_try
        let rules = [
            try! Resolver.Rule(.null, "^(?:~|null|Null|NULL|)$"),
            try! Resolver.Rule(.bool, "^(?:true|True|TRUE|false|False|FALSE)$"),
            try! Resolver.Rule(.int, "^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
            try! Resolver.Rule(.float, "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"),
        ]
        return rules.reduce(Resolver.basic) { $0.appending($1) }
    }()

    /// The root of the single YAML document in `text`, or `nil` with the problems in `context`
    /// (`needs` says what an empty file lacks).
    /// Nesting is bounded by libyaml (1,000 levels) and aliases are refused before parsing, so
    /// hostile input costs time and memory proportional to its size.
    static func parse(_ text: String, context: DecodeContext, needs: String = "a workflow needs at least baton: 1, a name and nodes") -> YAMLNode? {
        let size = text.utf8.count
        guard size <= maximumBytes else {
            context.error("", at: .start, "the file is \(size) bytes; a workflow file may be at most \(maximumBytes) bytes (1 MiB)")
            return nil
        }
        if let alias = aliasPosition(in: text) {
            context.error("", at: alias, "YAML anchors and aliases (&name, *name) are not supported in workflow files: write each value out in full")
            return nil
        }
        do {
            let parser = try Parser(yaml: text, resolver: coreSchema, constructor: .default, encoding: .utf8)
            guard let root = try parser.singleRoot() else {
                context.error("", at: .start, "the file is empty; \(needs)")
                return nil
            }
            return root
        } catch let error as YamlError {
            report(error, in: text, context: context)
            return nil
        } catch {
            context.error("", at: .start, "invalid YAML: \(error)")
            return nil
        }
    }

    /// Where the first alias is, when the text also has an anchor for it to expand.
    ///
    /// The scan is lexical and errs on the side of finding: an `&` or `*` that starts a token (at
    /// the start of a line, after white space, or after `[`, `{` or `,`) and is followed by a name
    /// character counts, even inside a quoted string or a comment. A document must have both an
    /// anchor and an alias for expansion to happen, so text that merely contains `*bold*` passes.
    static func aliasPosition(in text: String) -> Position? {
        var anchor: Position?
        var alias: Position?
        var line = 1
        var column = 0
        var previous: Unicode.Scalar?
        var iterator = text.unicodeScalars.makeIterator()
        var current = iterator.next()
        while let scalar = current {
            let next = iterator.next()
            column += 1
            if scalar == "\n" {
                line += 1
                column = 0
                previous = nil
                current = next
                continue
            }
            if scalar == "&" || scalar == "*" {
                let startsToken = previous.map { $0 == " " || $0 == "\t" || $0 == "[" || $0 == "{" || $0 == "," } ?? true
                let named = next.map { !($0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || "[]{},".unicodeScalars.contains($0)) } ?? false
                if startsToken && named {
                    if scalar == "&" { anchor = anchor ?? Position(line: line, column: column) } else { alias = alias ?? Position(line: line, column: column) }
                    if anchor != nil, let alias { return alias }
                }
            }
            previous = scalar
            current = next
        }
        return nil
    }

    private static func report(_ error: YamlError, in text: String, context: DecodeContext) {
        switch error {
        case let .scanner(yamlContext, problem, mark, _), let .parser(yamlContext, problem, mark, _), let .composer(yamlContext, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if problem.contains("another document") {
                message = "a workflow file holds one YAML document, but a second one starts here; remove the '---' or split the file"
            } else if let yamlContext, yamlContext.mark.line > 0 {
                message += " (\(yamlContext.text) that starts at line \(yamlContext.mark.line), column \(yamlContext.mark.column))"
            }
            if character(at: mark, in: text) == "\t" {
                message += "; YAML does not allow tabs for indentation: use spaces"
            }
            context.error("", at: Position(mark), message)
        case let .reader(problem, offset, value, _):
            let position = offset.map { self.position(ofByte: $0, in: text) } ?? .start
            let hex = String(value, radix: 16, uppercase: true)
            let detail = value >= 0 ? " (U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex))" : ""
            context.error("", at: position, "the file is not readable as YAML text: \(problem)\(detail)")
        case let .duplicatedKeysInMapping(duplicates, yamlContext):
            let key = duplicates.first ?? "?"
            let first = yamlContext.mark
            let position = duplicatePosition(of: key, after: first, in: text)
            context.error("", at: position, "the key '\(key)' appears twice in the same mapping (first at line \(first.line)); keep one")
        default:
            context.error("", at: .start, "invalid YAML: \(error)")
        }
    }

    private static func character(at mark: Mark, in text: String) -> Unicode.Scalar? {
        guard mark.line >= 1, mark.column >= 1 else { return nil }
        let lines = text.split(separator: "\n", maxSplits: mark.line, omittingEmptySubsequences: false)
        guard mark.line - 1 < lines.count else { return nil }
        let scalars = Array(lines[mark.line - 1].unicodeScalars)
        return mark.column - 1 < scalars.count ? scalars[mark.column - 1] : nil
    }

    /// The line and column of byte `offset` of the UTF-8 text.
    static func position(ofByte offset: Int, in text: String) -> Position {
        var line = 1
        var column = 1
        var consumed = 0
        for scalar in text.unicodeScalars {
            if consumed >= offset { break }
            consumed += UTF8.width(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return Position(line: line, column: column)
    }

    /// Yams reports a repeated key at its first occurrence; find the second one: the next line
    /// at the same indentation that starts with the key, before the mapping ends.
    static func duplicatePosition(of key: String, after first: Mark, in text: String) -> Position {
        guard first.line >= 1, first.column >= 1 else { return .start }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = first.column - 1
        let spellings = [key, "\"\(key)\"", "'\(key)'"]
        var number = first.line
        while number < lines.count {
            let line = Substring(lines[number])
            number += 1
            let content = line.drop { $0 == " " }
            if content.isEmpty || content.hasPrefix("#") { continue }
            let leading = line.count - content.count
            if leading < indent { break }
            guard leading == indent else { continue }
            for spelling in spellings where content.hasPrefix(spelling) {
                if content.dropFirst(spelling.count).drop(while: { $0 == " " }).hasPrefix(":") {
                    return Position(line: number, column: indent + 1)
                }
            }
        }
        return Position(first)
    }
}
