/// Which keywords a schema resource understands: its draft and, for draft 2020-12, the
/// vocabularies its `$schema` meta-schema declares with `$vocabulary`.
struct SchemaDialect: Sendable, Hashable {
    /// The draft that decides the meaning of `items`, `$ref` siblings and similar.
    enum Draft: Sendable, Hashable {
        /// Draft 2020-12, the default.
        case draft2020
        /// Draft 2019-09: `items` may be an array and `additionalItems` applies after it.
        case draft2019
        /// Draft 7 and earlier: as 2019-09, and `$ref` makes its siblings ignored.
        case draft7
    }

    /// A set of the 2020-12 vocabularies.
    struct Vocabularies: OptionSet, Sendable, Hashable {
        let rawValue: UInt8
        static let core = Vocabularies(rawValue: 1 << 0)
        static let applicator = Vocabularies(rawValue: 1 << 1)
        static let unevaluated = Vocabularies(rawValue: 1 << 2)
        static let validation = Vocabularies(rawValue: 1 << 3)
        static let all: Vocabularies = [.core, .applicator, .unevaluated, .validation]
    }

    var draft: Draft
    var vocabularies: Vocabularies

    /// Draft 2020-12 with every vocabulary.
    static let standard = SchemaDialect(draft: .draft2020, vocabularies: .all)

    /// The dialect a `$schema` URI selects. Known drafts are recognised by URI; another meta-schema
    /// is looked up in `registry` and its `$vocabulary` honoured; an unknown URI means 2020-12.
    static func named(_ uri: String, registry: SchemaRegistry, at location: String) throws(SchemaError) -> SchemaDialect {
        let key = SchemaURI(uri).withoutFragment.string
        switch key {
        case "https://json-schema.org/draft/2020-12/schema": return .standard
        case "https://json-schema.org/draft/2019-09/schema": return SchemaDialect(draft: .draft2019, vocabularies: .all)
        case "http://json-schema.org/draft-07/schema", "http://json-schema.org/draft-06/schema",
            "http://json-schema.org/draft-04/schema":
            return SchemaDialect(draft: .draft7, vocabularies: .all)
        default: break
        }
        guard let metaschema = registry.document(for: key)?.json, case let .object(declared)? = metaschema["$vocabulary"]
        else { return .standard }
        var vocabularies: Vocabularies = []
        for (vocabulary, required) in declared {
            switch vocabulary {
            case "https://json-schema.org/draft/2020-12/vocab/core": vocabularies.insert(.core)
            case "https://json-schema.org/draft/2020-12/vocab/applicator": vocabularies.insert(.applicator)
            case "https://json-schema.org/draft/2020-12/vocab/unevaluated": vocabularies.insert(.unevaluated)
            case "https://json-schema.org/draft/2020-12/vocab/validation": vocabularies.insert(.validation)
            case "https://json-schema.org/draft/2020-12/vocab/meta-data",
                "https://json-schema.org/draft/2020-12/vocab/format-annotation",
                "https://json-schema.org/draft/2020-12/vocab/format-assertion",
                "https://json-schema.org/draft/2020-12/vocab/content":
                break  // annotations only
            default:
                if required == .bool(true) {
                    throw SchemaError(
                        .unsupportedVocabulary, at: location,
                        "the meta-schema \(key) requires the unknown vocabulary \(vocabulary)")
                }
            }
        }
        return SchemaDialect(draft: .draft2020, vocabularies: vocabularies.union(.core))
    }

    /// The subschemas of a schema object in this dialect, with the one or two pointer tokens that
    /// lead to each. Only these places can hold `$id`, `$anchor` and `$dynamicAnchor`; a schema-like
    /// object inside `enum`, `const` or an unknown keyword is not a schema.
    func subschemas(of members: [String: JSON]) -> [(tokens: [String], schema: JSON)] {
        var result: [(tokens: [String], schema: JSON)] = []
        for (keyword, value) in members {
            switch keyword {
            case "additionalProperties", "propertyNames", "contains", "if", "then", "else", "not",
                "unevaluatedItems", "unevaluatedProperties", "contentSchema", "additionalItems":
                result.append(([keyword], value))
            case "items":
                if case let .array(schemas) = value, draft != .draft2020 {
                    for (index, schema) in schemas.enumerated() { result.append(([keyword, String(index)], schema)) }
                } else {
                    result.append(([keyword], value))
                }
            case "prefixItems", "allOf", "anyOf", "oneOf":
                guard case let .array(schemas) = value else { continue }
                for (index, schema) in schemas.enumerated() { result.append(([keyword, String(index)], schema)) }
            case "properties", "patternProperties", "dependentSchemas", "$defs", "definitions", "dependencies":
                guard case let .object(schemas) = value else { continue }
                for (name, schema) in schemas where schema.isSchemaShaped {
                    result.append(([keyword, name], schema))
                }
            default:
                continue
            }
        }
        return result
    }
}

extension JSON {
    /// True for objects and booleans, the two forms a schema can take.
    var isSchemaShaped: Bool {
        switch self {
        case .object, .bool: return true
        default: return false
        }
    }
}
