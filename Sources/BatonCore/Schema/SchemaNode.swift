/// One compiled (sub)schema: its keywords already parsed, checked and sorted by the kind of
/// instance they apply to, with subschemas referred to by their index in ``SchemaProgram/nodes``.
/// The validator never looks a keyword up by name.
struct SchemaNode: Sendable {
    /// What a node is at its simplest.
    enum Body: Sendable {
        /// The `true` schema or `{}`: every instance is valid.
        case alwaysValid
        /// The `false` schema: no instance is valid.
        case alwaysInvalid
        /// A schema object with at least one keyword that asserts or applies.
        case keywords
    }

    let body: Body
    /// The schema resource (`$id` scope) the node belongs to, for `$dynamicRef`.
    let resource: Int
    /// `type`, or `nil` when absent.
    let types: SchemaTypes?
    /// Keywords for instances of any type: `enum`, `const`, `$ref`, `allOf`, `if`…
    let general: [SchemaKeyword]
    /// The keywords for numbers and for strings, when the node has any.
    let number: SchemaNumberRules?
    let string: SchemaStringRules?
    /// Keywords that only apply to arrays and objects respectively.
    let array: [SchemaKeyword]
    let object: [SchemaKeyword]
    /// `unevaluatedItems` and `unevaluatedProperties`: they run last, after the annotations of
    /// every other keyword of the node are known.
    let unevaluatedItems: Int?
    let unevaluatedProperties: Int?

    /// True when evaluating the node must track which items and properties were evaluated.
    let collectsAnnotations: Bool
    /// True when no keyword applies a subschema: the node can neither recurse nor produce
    /// annotations, so the validator skips the bookkeeping those need.
    let isLeaf: Bool
    /// The types, when `type` is the node's only keyword (`{"type": "string"}`, the most common
    /// schema of all): checking it needs no call.
    let onlyTypes: SchemaTypes?

    init(
        body: Body, resource: Int, types: SchemaTypes? = nil, general: [SchemaKeyword] = [],
        number: SchemaNumberRules? = nil, string: SchemaStringRules? = nil, array: [SchemaKeyword] = [],
        object: [SchemaKeyword] = [], unevaluatedItems: Int? = nil, unevaluatedProperties: Int? = nil
    ) {
        self.body = body
        self.resource = resource
        self.types = types
        self.general = general
        self.number = number
        self.string = string
        self.array = array
        self.object = object
        self.unevaluatedItems = unevaluatedItems
        self.unevaluatedProperties = unevaluatedProperties
        self.collectsAnnotations = unevaluatedItems != nil || unevaluatedProperties != nil
        self.isLeaf = !collectsAnnotations && (general + array + object).allSatisfy { !$0.appliesSubschemas }
        let typeIsAll = general.isEmpty && number == nil && string == nil && array.isEmpty && object.isEmpty
            && !collectsAnnotations
        self.onlyTypes = body == .keywords && typeIsAll ? types : nil
    }
}

extension SchemaKeyword {
    /// True for keywords that evaluate subschemas (and so may recurse or produce annotations).
    var appliesSubschemas: Bool {
        switch self {
        case .allOf, .anyOf, .oneOf, .not, .conditional, .ref, .dynamicRef, .items, .contains, .properties,
            .propertyNames, .dependentSchemas:
            return true
        case .enumeration, .constant, .minItems, .maxItems, .uniqueItems, .required, .minProperties, .maxProperties,
            .dependentRequired:
            return false
        }
    }
}

/// A compiled keyword. Subschemas are node indices.
enum SchemaKeyword: Sendable {
    // Any instance.
    case enumeration([JSON])
    case constant(JSON)
    case allOf([Int])
    case anyOf([Int])
    case oneOf([Int])
    case not(Int)
    case conditional(SchemaConditional)
    case ref(Int)
    /// `$dynamicRef`: the statically resolved node, and the anchor name to look up in the dynamic
    /// scope when that node carries a matching `$dynamicAnchor`.
    case dynamicRef(Int, anchor: String?)

    // Arrays.
    case items(SchemaItems)
    case contains(SchemaContains)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems

    // Objects.
    case properties(SchemaProperties)
    case required([String])
    case minProperties(Int)
    case maxProperties(Int)
    case propertyNames(Int)
    case dependentRequired([SchemaDependency<[String]>], keyword: String)
    case dependentSchemas([SchemaDependency<Int>], keyword: String)
}

/// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` and `multipleOf`: plain values,
/// cheap to copy.
struct SchemaNumberRules: Sendable {
    var minimum: SchemaNumber.Value?
    var maximum: SchemaNumber.Value?
    var exclusiveMinimum: SchemaNumber.Value?
    var exclusiveMaximum: SchemaNumber.Value?
    var multipleOf: SchemaNumber.Decimal?
    /// `multipleOf` as written, for messages.
    var divisor: SchemaNumber.Value?
}

/// `minLength`, `maxLength` and `pattern`.
struct SchemaStringRules: Sendable {
    var minLength: Int?
    var maxLength: Int?
    var pattern: SchemaPattern?
}

/// `if`, `then` and `else` together.
struct SchemaConditional: Sendable {
    var condition: Int
    var then: Int?
    var otherwise: Int?
}

/// `prefixItems` and `items` (or, before 2020-12, `items` as an array and `additionalItems`).
struct SchemaItems: Sendable {
    var prefix: [Int]
    var rest: Int?
    var prefixKeyword: String
    var restKeyword: String
}

/// `contains` with `minContains` and `maxContains`.
struct SchemaContains: Sendable {
    var node: Int
    var minimum: Int
    var maximum: Int?
}

/// `properties`, `patternProperties`, `additionalProperties` and `required`, evaluated in one
/// pass over the instance's members: each member costs one dictionary lookup. A class, so that
/// the keyword is cheap to copy.
final class SchemaProperties: Sendable {
    /// A name in `properties` or `required`.
    struct Entry: Sendable {
        /// The subschema from `properties`, if the name appears there.
        var node: Int?
        /// True when `required` lists the name.
        var isRequired: Bool
    }

    struct PatternProperty: Sendable {
        var pattern: SchemaPattern
        var node: Int
    }

    let entries: [String: Entry]
    let patterns: [PatternProperty]
    let additional: Int?
    /// The names in `required`, in order, for reporting the missing ones.
    let required: [String]

    /// For a schema with few names, the names and their entries in parallel arrays with a
    /// signature of each (length and first byte): scanning a few integers and comparing
    /// one string is faster than hashing the key.
    private let names: [String]
    private let signatures: [UInt64]
    private let nameEntries: [Entry]
    private let scans: Bool

    init(entries: [String: Entry], patterns: [PatternProperty], additional: Int?, required: [String]) {
        self.entries = entries
        self.patterns = patterns
        self.additional = additional
        self.required = required
        let sorted = entries.sorted { $0.key < $1.key }
        self.names = sorted.map(\.key)
        self.signatures = sorted.map { Self.signature($0.key) }
        self.nameEntries = sorted.map(\.value)
        self.scans = entries.count <= 24
    }

    /// The entry for a member name, if `properties` or `required` mention it.
    @inline(__always)
    func entry(for key: String) -> Entry? {
        guard scans else { return entries[key] }
        let signature = Self.signature(key)
        for index in signatures.indices where signatures[index] == signature && names[index] == key {
            return nameEntries[index]
        }
        return nil
    }

    @inline(__always)
    private static func signature(_ name: String) -> UInt64 {
        let bytes = name.utf8
        var signature = UInt64(truncatingIfNeeded: bytes.count)
        if let first = bytes.first { signature |= UInt64(first) << 32 }
        return signature
    }
}

/// A property name and what its presence brings: required names or a subschema.
struct SchemaDependency<Value: Sendable>: Sendable {
    var property: String
    var value: Value
}
