import Mustache

/// A Mustache template compiled once, rendered over JSON.
///
/// Rendering sees the scope's members (`state`, `input`, `item`, …) and, for convenience, the
/// members of `state` at the top level: `Hello {{name}}` and `Hello {{state.name}}` agree.
public struct Template: Sendable, CustomStringConvertible {
    public let source: String
    private let compiled: MustacheTemplate

    /// Compiles `source`. Throws ``TemplateError`` for a malformed template.
    public init(_ source: String) throws(TemplateError) {
        self.source = source
        do {
            compiled = try MustacheTemplate(string: source)
        } catch {
            throw TemplateError(source: source, reason: "\(error)")
        }
    }

    /// Renders over `scope`. HTML escaping is off: templates produce prompts and data, not pages.
    public func render(_ scope: JSON) -> String {
        var context = Template.mustacheValue(scope) as? [String: Any] ?? [:]
        if case let .object(state)? = scope["state"] {
            for (key, value) in state where context[key] == nil { context[key] = Template.mustacheValue(value) }
        }
        return compiled.render(context)
    }

    public var description: String { source }

    static func mustacheValue(_ value: JSON) -> Any {
        switch value {
        case .null: return Optional<String>.none as Any
        case let .bool(flag): return flag
        case let .int(number): return number
        case let .double(number): return number
        case let .string(text): return text
        case let .array(elements): return elements.map(mustacheValue)
        case let .object(members): return members.mapValues(mustacheValue)
        }
    }
}

/// A template that does not compile.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var reason: String
    public var description: String { "invalid Mustache template \"\(JSON.excerpt(.string(source)))\": \(reason)" }
}
