/// A description or constraint that ``SchemaDescribed/propertyHints`` adds to one property of
/// an inferred schema.
///
/// A string literal is a ``description(_:)``:
///
/// ```swift
/// static let propertyHints: [String: [SchemaHint]] = [
///     "query": ["What to search for", .minLength(1)],
///     "limit": ["How many results at most", .minimum(1), .maximum(50)],
/// ]
/// ```
///
/// Each hint sets the JSON Schema keyword of the same name on the property's schema. A
/// constraint applies only to values of its kind (`minimum` to numbers, `minLength` to strings,
/// `minItems` to arrays), as in JSON Schema; `null`, for an optional property, always passes.
public enum SchemaHint: Sendable, Hashable, ExpressibleByStringLiteral {
    /// `description`: what the property means, for the model that fills it in.
    case description(String)
    /// `minimum`: the smallest number allowed.
    case minimum(Double)
    /// `maximum`: the largest number allowed.
    case maximum(Double)
    /// `exclusiveMinimum`: numbers must be greater than this.
    case exclusiveMinimum(Double)
    /// `exclusiveMaximum`: numbers must be less than this.
    case exclusiveMaximum(Double)
    /// `minLength`: the fewest characters (code points) a string may have.
    case minLength(Int)
    /// `maxLength`: the most characters (code points) a string may have.
    case maxLength(Int)
    /// `pattern`: an ECMA-262 regular expression a string must match somewhere; anchor it with
    /// `^…$` to match the whole string.
    case pattern(String)
    /// `format`: an annotation such as `email` or `date`; not asserted by ``JSONSchema``.
    case format(String)
    /// `minItems`: the fewest elements an array may have.
    case minItems(Int)
    /// `maxItems`: the most elements an array may have.
    case maxItems(Int)
    /// Any other keyword, set as given: `.keyword("examples", ["Paris"])`.
    case keyword(String, JSON)

    /// A ``description(_:)``.
    public init(stringLiteral value: String) {
        self = .description(value)
    }

    /// The keyword this hint sets and its value.
    var keyword: (name: String, value: JSON) {
        switch self {
        case let .description(text): return ("description", .string(text))
        case let .minimum(bound): return ("minimum", Self.number(bound))
        case let .maximum(bound): return ("maximum", Self.number(bound))
        case let .exclusiveMinimum(bound): return ("exclusiveMinimum", Self.number(bound))
        case let .exclusiveMaximum(bound): return ("exclusiveMaximum", Self.number(bound))
        case let .minLength(count): return ("minLength", .int(count))
        case let .maxLength(count): return ("maxLength", .int(count))
        case let .pattern(expression): return ("pattern", .string(expression))
        case let .format(name): return ("format", .string(name))
        case let .minItems(count): return ("minItems", .int(count))
        case let .maxItems(count): return ("maxItems", .int(count))
        case let .keyword(name, value): return (name, value)
        }
    }

    /// An integral bound as an integer (`"minimum": 1`, not `1.0`), any other as a double.
    private static func number(_ value: Double) -> JSON {
        Int(exactly: value).map(JSON.int) ?? .double(value)
    }
}
