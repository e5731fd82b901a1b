/// A model's request to call one tool.
///
/// ``arguments`` is the JSON text exactly as the model produced it: a model can write text that
/// is not JSON, and the agent loop answers that with an error the model can repair instead of
/// failing the step. ``parsedArguments()`` reads it.
public struct ModelToolCall: Sendable, Hashable {
    /// The provider's id for the call; the `tool` message that answers it repeats it.
    public var id: String
    /// The tool's name, as the model was offered it.
    public var name: String
    /// The arguments as JSON text.
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    /// A call whose arguments are already a JSON value.
    public init(id: String, name: String, arguments: JSON) {
        self.init(id: id, name: name, arguments: arguments.canonicalString)
    }

    /// The arguments as a JSON value; an empty text is an empty object.
    public func parsedArguments() throws -> JSON {
        let trimmed = arguments.trimmingWhitespace
        if trimmed.isEmpty { return [:] }
        return try JSON(parsing: String(trimmed))
    }

    /// `{"id", "name", "arguments"}`, arguments as text.
    public var json: JSON { ["id": .string(id), "name": .string(name), "arguments": .string(arguments)] }

    /// Reads a call written by ``json``.
    public init(json: JSON) throws(ModelError) {
        guard let id = json["id"]?.stringValue, let name = json["name"]?.stringValue else {
            throw ModelError.malformedResponse(provider: "journal", excerpt: "a tool call without an id or a name: \(json.canonicalString.prefix(120))")
        }
        let arguments: String
        switch json["arguments"] {
        case let .string(text): arguments = text
        case nil, .null: arguments = "{}"
        case let value?: arguments = value.canonicalString
        }
        self.init(id: id, name: name, arguments: arguments)
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and line breaks (no Foundation needed).
    var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
