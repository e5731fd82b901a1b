/// The wording of validation errors and schema errors: short sentences that say what is expected,
/// quoting the offending value where that helps ("expected integer, got string \"abc\"").
enum SchemaMessages {
    /// How long a quoted value may get before it is cut with an ellipsis.
    static let maximumQuoteLength = 60

    /// A value with its type, for "got …": `string "abc"`, `integer 5`, `boolean true`, `null`,
    /// `array of 3 items`, `object with 2 properties`.
    static func describe(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case let .bool(flag): return "boolean \(flag)"
        case .int, .double: return "\(value.typeName) \(quote(value))"
        case .string: return "string \(quote(value))"
        case let .array(items): return "array of \(items.count) item\(items.count == 1 ? "" : "s")"
        case let .object(members): return "object with \(members.count) propert\(members.count == 1 ? "y" : "ies")"
        }
    }

    /// A value as compact JSON, cut to ``maximumQuoteLength`` characters.
    static func quote(_ value: JSON) -> String {
        let text: String
        if case let .double(double) = value, double.isFinite == false {
            text = String(describing: double)
        } else {
            text = value.canonicalString
        }
        guard text.count > maximumQuoteLength else { return text }
        return String(text.prefix(maximumQuoteLength)) + "…"
    }

    /// A list of values: `"a", "b" or 3`, with at most `limit` shown.
    static func list(_ values: [JSON], limit: Int = 10) -> String {
        let shown = values.prefix(limit).map(quote)
        var text: String
        if shown.count <= 1 {
            text = shown.first ?? "nothing"
        } else if values.count <= limit {
            text = shown.dropLast().joined(separator: ", ") + " or " + (shown.last ?? "")
        } else {
            text = shown.joined(separator: ", ")
        }
        if values.count > limit { text += " (and \(values.count - limit) more)" }
        return text
    }

    /// `1 item`, `2 items`; `1 property`, `2 properties`.
    static func count(_ number: Int, _ singular: String, _ plural: String) -> String {
        number == 1 ? "1 \(singular)" : "\(number) \(plural)"
    }

    /// A property name in quotes: `'name'`.
    static func name(_ name: String) -> String {
        "'" + (name.count > maximumQuoteLength ? String(name.prefix(maximumQuoteLength)) + "…" : name) + "'"
    }
}
