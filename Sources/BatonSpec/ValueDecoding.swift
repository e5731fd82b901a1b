import BatonCore
import Yams

/// The names an expression may read where it is used.
enum ExpressionScope {
    /// Conditional edges see the state after the source's superstep and the source's output.
    static let edge = ["state", "input", "output"]
    /// Branch nodes see what every node sees.
    static let branch = ["state", "input", "item", "index"]
    /// Success criteria see the attempt's output too.
    static let success = ["state", "input", "output", "item", "index"]
    /// Values (`expr:`) in `set`, `args`, `input` and `output`.
    static let value = ["state", "input", "item", "index"]
}

extension DecodeContext {
    /// The explicit forms of a value.
    static let valueForms = ["copy", "literal", "expr", "template"]

    /// Reads a value: a text is a Mustache template; a number, boolean or null is itself; a
    /// mapping with one of `copy`, `literal`, `expr`, `template` says which.
    func valueSource(_ node: YAMLNode, at path: String) -> ValueSource? {
        switch node {
        case .scalar:
            if node.scalarKind == .string { return template(node, at: path).map(ValueSource.template) }
            return json(node, at: path).map(ValueSource.literal)
        case .sequence:
            error(path, node: node, "expected a value (a template string, a number, true/false, null or one of {copy: …}, {literal: …}, {expr: …}, {template: …}), found a list; to use the list as it is, write { literal: [...] }")
            return nil
        case .alias:
            error(path, node: node, "YAML aliases are not supported in workflow files; write the value out")
            return nil
        case let .mapping(mapping):
            let keys = mapping.keys.compactMap { $0.scalar?.string }
            guard mapping.count == 1, let form = keys.first, Self.valueForms.contains(form), let value = mapping.values.first else {
                let hint: String
                if mapping.count == 1, let only = keys.first, let close = Suggestions.closest(to: only, among: Self.valueForms) {
                    hint = "unknown value form '\(only)' (did you mean '\(close)'?)"
                } else {
                    hint = "found a mapping with \(keys.isEmpty ? "no keys" : "the keys \(Suggestions.list(keys.map { "'\($0)'" }, conjunction: "and"))")"
                }
                error(path, node: node, "expected a value: one of {copy: path}, {literal: value}, {expr: expression}, {template: text}; \(hint); to use an object as it is, write { literal: {...} }")
                return nil
            }
            let formPath = DecodeContext.join(path, form)
            record(formPath, value: value.position)
            switch form {
            case "copy": return statePath(value, at: formPath).map(ValueSource.copy)
            case "literal": return json(value, at: formPath).map(ValueSource.literal)
            case "expr": return expression(value, at: formPath, scope: ExpressionScope.value).map(ValueSource.expression)
            default:
                guard value.scalarKind == .string || value.scalarKind == .int || value.scalarKind == .float || value.scalarKind == .bool else {
                    error(formPath, node: value, "expected a template string, found \(value.found)")
                    return nil
                }
                return template(value, at: formPath).map(ValueSource.template)
            }
        }
    }

    /// Reads a mapping of names to values (`args`, `input`, `output`).
    func valueSources(_ node: YAMLNode, at path: String) -> [String: ValueSource]? {
        guard let mapping = mapping(node, at: path, nullIsEmpty: true) else { return nil }
        var sources: [String: ValueSource] = [:]
        var failed = false
        for entry in mapping.entries {
            if let source = valueSource(entry.value, at: mapping.path(entry.key)) { sources[entry.key] = source } else { failed = true }
        }
        return failed ? nil : sources
    }

    /// One of an enumeration's names, such as `low`, `medium` or `high`.
    func choice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, at path: String, of type: T.Type) -> T? where T.RawValue == String {
        let names = T.allCases.map(\.rawValue)
        guard let text = string(node, at: path, expected: Suggestions.list(names)) else { return nil }
        guard let value = T(rawValue: text) else {
            error(path, node: node, "expected \(Suggestions.list(names)), found \(node.found)\(Suggestions.didYouMean(text, among: names))")
            return nil
        }
        return value
    }

    /// Compiles a Mustache template.
    func template(_ node: YAMLNode, at path: String) -> Template? {
        guard case let .scalar(scalar) = node else {
            error(path, node: node, "expected a template string, found \(node.found)")
            return nil
        }
        do {
            return try Template(scalar.string)
        } catch {
            self.error(path, node: node, "invalid Mustache template \"\(YAMLNode.excerpt(scalar.string))\": \(error.reason)")
            return nil
        }
    }

    /// Parses an expression and checks the names it reads against `scope`.
    func expression(_ node: YAMLNode, at path: String, scope: [String]) -> BatonCore.Expression? {
        guard case let .scalar(scalar) = node, !node.isNull else {
            error(path, node: node, "expected an expression such as \"state.count > 3\", found \(node.found)")
            return nil
        }
        let source = scalar.string
        let expression: BatonCore.Expression
        do {
            expression = try BatonCore.Expression(source)
        } catch {
            self.error(
                path, at: position(in: node, offset: max(0, error.column - 1)),
                "invalid expression `\(YAMLNode.excerpt(source))` at column \(error.column): \(error.reason)"
            )
            return nil
        }
        for root in expression.referencedRoots.sorted() where !scope.contains(root) {
            let hint = Suggestions.closest(to: root, among: scope).map { "did you mean '\($0)'?" } ?? "did you mean 'state.\(root)'?"
            let offset = source.range(of: root).map { source.distance(from: source.startIndex, to: $0.lowerBound) } ?? 0
            error(path, at: position(in: node, offset: offset), "the expression reads '\(root)', which is not defined here: an expression here reads \(Suggestions.list(scope)) (\(hint))")
            return nil
        }
        return expression
    }

    /// Parses a state path such as `state.items`, `item.title` or `summary.text`.
    func statePath(_ node: YAMLNode, at path: String) -> StatePath? {
        guard let text = string(node, at: path, expected: "a path such as state.items") else { return nil }
        do {
            return try StatePath(text)
        } catch {
            let reason: String
            if case let .invalidPath(_, why) = error { reason = why } else { reason = "\(error)" }
            self.error(path, node: node, "expected a path such as state.items or item.title, found \(node.found): \(reason)")
            return nil
        }
    }
}
