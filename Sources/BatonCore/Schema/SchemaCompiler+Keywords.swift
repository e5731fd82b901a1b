/// Compiling one schema object: reading and checking each keyword's value, and sorting the
/// keywords by the kind of instance they apply to.
extension SchemaCompiler {
    /// The keywords of one schema object being compiled, and where they are.
    private struct Keywords {
        var members: [String: JSON]
        var location: Location
        var dialect: SchemaDialect

        subscript(_ keyword: String) -> JSON? { members[keyword] }

        func has(_ vocabulary: SchemaDialect.Vocabularies) -> Bool { dialect.vocabularies.contains(vocabulary) }
    }

    /// Compiles the schema `json` found at `location`.
    mutating func buildNode(_ json: JSON, at location: Location, resource: Int) throws(SchemaError) -> SchemaNode {
        var members: [String: JSON]
        switch json {
        case .bool(true): return SchemaNode(body: .alwaysValid, resource: resource)
        case .bool(false): return SchemaNode(body: .alwaysInvalid, resource: resource)
        case let .object(object): members = object
        default:
            throw SchemaError(
                .invalidKeyword, at: describe(location),
                "a schema must be an object or a boolean, got \(SchemaMessages.describe(json))")
        }
        let dialect = resources[resource].dialect
        if dialect.draft == .draft7, let reference = members["$ref"] { members = ["$ref": reference] }
        let keywords = Keywords(members: members, location: location, dialect: dialect)

        let types = try compileType(keywords)
        let general = try compileGeneral(keywords)
        let number = try compileNumber(keywords)
        let string = try compileString(keywords)
        let array = try compileArray(keywords)
        let object = try compileObject(keywords)
        var unevaluatedItems: Int?
        var unevaluatedProperties: Int?
        if keywords.has(.unevaluated) {
            unevaluatedItems = try subschema(keywords, "unevaluatedItems")
            unevaluatedProperties = try subschema(keywords, "unevaluatedProperties")
        }
        let isEmpty = types == nil && general.isEmpty && number == nil && string == nil && array.isEmpty
            && object.isEmpty && unevaluatedItems == nil && unevaluatedProperties == nil
        return SchemaNode(
            body: isEmpty ? .alwaysValid : .keywords, resource: resource, types: types, general: general,
            number: number, string: string, array: array, object: object,
            unevaluatedItems: unevaluatedItems, unevaluatedProperties: unevaluatedProperties)
    }

    // MARK: - By instance kind

    private mutating func compileType(_ keywords: Keywords) throws(SchemaError) -> SchemaTypes? {
        guard keywords.has(.validation), let value = keywords["type"] else { return nil }
        let names: [JSON]
        switch value {
        case .string: names = [value]
        case let .array(elements) where !elements.isEmpty: names = elements
        default: throw invalid(keywords, "type", "must be a type name or a non-empty array of type names, got \(SchemaMessages.describe(value))")
        }
        var types: SchemaTypes = []
        for name in names {
            guard case let .string(text) = name, let type = SchemaTypes(name: text) else {
                throw invalid(
                    keywords, "type",
                    "must be a type name or an array of type names (null, boolean, integer, number, string, array, object), got \(SchemaMessages.describe(value))")
            }
            types.insert(type)
        }
        return types
    }

    private mutating func compileGeneral(_ keywords: Keywords) throws(SchemaError) -> [SchemaKeyword] {
        var result: [SchemaKeyword] = []
        if keywords.has(.validation) {
            if let value = keywords["const"] { result.append(.constant(value)) }
            if let value = keywords["enum"] {
                guard case let .array(options) = value else {
                    throw invalid(keywords, "enum", "must be an array, got \(SchemaMessages.describe(value))")
                }
                result.append(.enumeration(options))
            }
        }
        for keyword in ["$ref", "$recursiveRef"] {
            guard let value = keywords[keyword] else { continue }
            if keyword == "$recursiveRef", keywords.dialect.draft != .draft2019 { continue }
            guard case let .string(reference) = value else {
                throw invalid(keywords, keyword, "must be a URI reference string, got \(SchemaMessages.describe(value))")
            }
            let target = try resolve(reference, from: keywords.location, keyword: keyword)
            result.append(.ref(try compile(target.location)))
        }
        if keywords.dialect.draft == .draft2020, let value = keywords["$dynamicRef"] {
            guard case let .string(reference) = value else {
                throw invalid(keywords, "$dynamicRef", "must be a URI reference string, got \(SchemaMessages.describe(value))")
            }
            let target = try resolve(reference, from: keywords.location, keyword: "$dynamicRef")
            let node = try compile(target.location)
            var anchor: String?
            if !target.fragment.isEmpty, !target.fragment.hasPrefix("/"),
                hasDynamicAnchor(target.fragment, at: target.location, in: target.resource)
            {
                anchor = target.fragment
                usesDynamicScope = true
            }
            result.append(.dynamicRef(node, anchor: anchor))
        }
        guard keywords.has(.applicator) else { return result }
        if let schemas = try subschemaArray(keywords, "allOf") { result.append(.allOf(schemas)) }
        if let schemas = try subschemaArray(keywords, "anyOf") { result.append(.anyOf(schemas)) }
        if let schemas = try subschemaArray(keywords, "oneOf") { result.append(.oneOf(schemas)) }
        if let schema = try subschema(keywords, "not") { result.append(.not(schema)) }
        if let condition = try subschema(keywords, "if") {
            let then = try subschema(keywords, "then")
            let otherwise = try subschema(keywords, "else")
            result.append(.conditional(SchemaConditional(condition: condition, then: then, otherwise: otherwise)))
        }
        return result
    }

    private mutating func compileNumber(_ keywords: Keywords) throws(SchemaError) -> SchemaNumberRules? {
        guard keywords.has(.validation) else { return nil }
        var rules = SchemaNumberRules()
        rules.minimum = try numberValue(keywords, "minimum")
        rules.maximum = try numberValue(keywords, "maximum")
        rules.exclusiveMinimum = try numberValue(keywords, "exclusiveMinimum")
        rules.exclusiveMaximum = try numberValue(keywords, "exclusiveMaximum")
        if let divisor = try numberValue(keywords, "multipleOf") {
            guard let decimal = SchemaNumber.Decimal(divisor), decimal.significand > 0, SchemaNumber.compare(.int(0), divisor) == -1
            else { throw invalid(keywords, "multipleOf", "must be a number greater than 0, got \(divisor)") }
            rules.multipleOf = decimal
            rules.divisor = divisor
        }
        let isEmpty = rules.minimum == nil && rules.maximum == nil && rules.exclusiveMinimum == nil
            && rules.exclusiveMaximum == nil && rules.multipleOf == nil
        return isEmpty ? nil : rules
    }

    private mutating func compileString(_ keywords: Keywords) throws(SchemaError) -> SchemaStringRules? {
        guard keywords.has(.validation) else { return nil }
        var rules = SchemaStringRules()
        rules.minLength = try countValue(keywords, "minLength")
        rules.maxLength = try countValue(keywords, "maxLength")
        if let value = keywords["pattern"] {
            guard case let .string(source) = value else {
                throw invalid(keywords, "pattern", "must be a regular expression string, got \(SchemaMessages.describe(value))")
            }
            rules.pattern = try pattern(source, keywords, "pattern")
        }
        return rules.minLength == nil && rules.maxLength == nil && rules.pattern == nil ? nil : rules
    }

    private mutating func compileArray(_ keywords: Keywords) throws(SchemaError) -> [SchemaKeyword] {
        var result: [SchemaKeyword] = []
        if keywords.has(.validation) {
            if let count = try countValue(keywords, "minItems") { result.append(.minItems(count)) }
            if let count = try countValue(keywords, "maxItems") { result.append(.maxItems(count)) }
            if let value = keywords["uniqueItems"] {
                guard case let .bool(unique) = value else {
                    throw invalid(keywords, "uniqueItems", "must be a boolean, got \(SchemaMessages.describe(value))")
                }
                if unique { result.append(.uniqueItems) }
            }
        }
        guard keywords.has(.applicator) else { return result }
        var items = SchemaItems(prefix: [], rest: nil, prefixKeyword: "prefixItems", restKeyword: "items")
        if keywords.dialect.draft == .draft2020 {
            items.prefix = try subschemaArray(keywords, "prefixItems") ?? []
            items.rest = try subschema(keywords, "items")
        } else if case .array = keywords["items"] {
            items.prefix = try subschemaArray(keywords, "items") ?? []
            items.prefixKeyword = "items"
            items.rest = try subschema(keywords, "additionalItems")
            items.restKeyword = "additionalItems"
        } else {
            items.rest = try subschema(keywords, "items")
        }
        if !items.prefix.isEmpty || items.rest != nil { result.append(.items(items)) }
        if let node = try subschema(keywords, "contains") {
            var contains = SchemaContains(node: node, minimum: 1, maximum: nil)
            if keywords.has(.validation) {
                contains.minimum = try countValue(keywords, "minContains") ?? 1
                contains.maximum = try countValue(keywords, "maxContains")
            }
            result.append(.contains(contains))
        }
        return result
    }

    private mutating func compileObject(_ keywords: Keywords) throws(SchemaError) -> [SchemaKeyword] {
        var result: [SchemaKeyword] = []
        let required = keywords.has(.validation) ? try stringArray(keywords, "required") ?? [] : []
        var entries: [String: SchemaProperties.Entry] = [:]
        var patterns: [SchemaProperties.PatternProperty] = []
        var additional: Int?
        if keywords.has(.applicator) {
            for (name, node) in try subschemaMap(keywords, "properties") ?? [] {
                entries[name] = SchemaProperties.Entry(node: node, isRequired: false)
            }
            if let value = keywords["patternProperties"] {
                guard case let .object(sources) = value else {
                    throw invalid(keywords, "patternProperties", "must be an object of schemas, got \(SchemaMessages.describe(value))")
                }
                for source in sources.keys.sorted() {
                    let compiled = try pattern(source, keywords, "patternProperties", source)
                    let node = try subschema(keywords, "patternProperties", source)
                    patterns.append(SchemaProperties.PatternProperty(pattern: compiled, node: node))
                }
            }
            additional = try subschema(keywords, "additionalProperties")
        }
        if !entries.isEmpty || !patterns.isEmpty || additional != nil {
            for name in required { entries[name, default: .init(node: nil, isRequired: false)].isRequired = true }
            result.append(
                .properties(SchemaProperties(entries: entries, patterns: patterns, additional: additional, required: required)))
        } else if !required.isEmpty {
            result.append(.required(required))
        }
        if keywords.has(.validation) {
            if let count = try countValue(keywords, "minProperties") { result.append(.minProperties(count)) }
            if let count = try countValue(keywords, "maxProperties") { result.append(.maxProperties(count)) }
            if let value = keywords["dependentRequired"] {
                guard case let .object(dependencies) = value else {
                    throw invalid(keywords, "dependentRequired", "must be an object of string arrays, got \(SchemaMessages.describe(value))")
                }
                var compiled: [SchemaDependency<[String]>] = []
                for name in dependencies.keys.sorted() {
                    compiled.append(.init(property: name, value: try stringArray(keywords, "dependentRequired", name) ?? []))
                }
                result.append(.dependentRequired(compiled, keyword: "dependentRequired"))
            }
        }
        guard keywords.has(.applicator) else { return result }
        if let node = try subschema(keywords, "propertyNames") { result.append(.propertyNames(node)) }
        if let schemas = try subschemaMap(keywords, "dependentSchemas") {
            result.append(.dependentSchemas(schemas.map { .init(property: $0.0, value: $0.1) }, keyword: "dependentSchemas"))
        }
        try compileDependencies(keywords, into: &result)
        return result
    }

    /// `dependencies`, the pre-2019 keyword that 2020-12 split into `dependentRequired` and
    /// `dependentSchemas`; still accepted, since many schemas in the wild use it.
    private mutating func compileDependencies(_ keywords: Keywords, into result: inout [SchemaKeyword]) throws(SchemaError) {
        guard let value = keywords["dependencies"] else { return }
        guard case let .object(dependencies) = value else {
            throw invalid(keywords, "dependencies", "must be an object, got \(SchemaMessages.describe(value))")
        }
        var required: [SchemaDependency<[String]>] = []
        var schemas: [SchemaDependency<Int>] = []
        for name in dependencies.keys.sorted() {
            if case .array? = dependencies[name] {
                required.append(.init(property: name, value: try stringArray(keywords, "dependencies", name) ?? []))
            } else {
                schemas.append(.init(property: name, value: try subschema(keywords, "dependencies", name)))
            }
        }
        if !required.isEmpty { result.append(.dependentRequired(required, keyword: "dependencies")) }
        if !schemas.isEmpty { result.append(.dependentSchemas(schemas, keyword: "dependencies")) }
    }

    // MARK: - Keyword values

    private func invalid(_ keywords: Keywords, _ tokens: [String], reason: String) -> SchemaError {
        var location = keywords.location
        for token in tokens { location = location.appending(token) }
        return SchemaError(.invalidKeyword, at: describe(location), reason)
    }

    private func invalid(_ keywords: Keywords, _ keyword: String, _ reason: String) -> SchemaError {
        SchemaError(.invalidKeyword, at: describe(keywords.location.appending(keyword)), "\"\(keyword)\" \(reason)")
    }

    /// The subschema at `keyword` (or `keyword/name`), compiled; `nil` when the keyword is absent.
    private mutating func subschema(_ keywords: Keywords, _ keyword: String) throws(SchemaError) -> Int? {
        guard let value = keywords[keyword] else { return nil }
        return try compileSubschema(value, at: keywords.location.appending(keyword), keywords, keyword)
    }

    private mutating func subschema(_ keywords: Keywords, _ keyword: String, _ name: String) throws(SchemaError) -> Int {
        let value = keywords[keyword]?[name] ?? .bool(true)
        return try compileSubschema(value, at: keywords.location.appending(keyword, name), keywords, keyword)
    }

    private mutating func compileSubschema(
        _ value: JSON, at location: Location, _ keywords: Keywords, _ keyword: String
    ) throws(SchemaError) -> Int {
        guard value.isSchemaShaped else {
            throw SchemaError(
                .invalidKeyword, at: describe(location),
                "\"\(keyword)\" must hold a schema (an object or a boolean), got \(SchemaMessages.describe(value))")
        }
        return try compile(location, json: value)
    }

    /// A non-empty array of subschemas, compiled.
    private mutating func subschemaArray(_ keywords: Keywords, _ keyword: String) throws(SchemaError) -> [Int]? {
        guard let value = keywords[keyword] else { return nil }
        guard case let .array(schemas) = value, !schemas.isEmpty else {
            throw invalid(keywords, keyword, "must be a non-empty array of schemas, got \(SchemaMessages.describe(value))")
        }
        var nodes: [Int] = []
        for (index, schema) in schemas.enumerated() {
            nodes.append(try compileSubschema(schema, at: keywords.location.appending(keyword, String(index)), keywords, keyword))
        }
        return nodes
    }

    /// An object of subschemas, compiled, in name order.
    private mutating func subschemaMap(_ keywords: Keywords, _ keyword: String) throws(SchemaError) -> [(String, Int)]? {
        guard let value = keywords[keyword] else { return nil }
        guard case let .object(schemas) = value else {
            throw invalid(keywords, keyword, "must be an object of schemas, got \(SchemaMessages.describe(value))")
        }
        var nodes: [(String, Int)] = []
        for name in schemas.keys.sorted() {
            nodes.append((name, try subschema(keywords, keyword, name)))
        }
        return nodes
    }

    /// A finite number.
    private func numberValue(_ keywords: Keywords, _ keyword: String) throws(SchemaError) -> SchemaNumber.Value? {
        guard let value = keywords[keyword] else { return nil }
        switch value {
        case let .int(integer): return .int(integer)
        case let .double(double) where double.isFinite: return .double(double)
        default: throw invalid(keywords, keyword, "must be a number, got \(SchemaMessages.describe(value))")
        }
    }

    /// A non-negative integer (`2.0` counts as `2`; a count too large for `Int` saturates).
    private func countValue(_ keywords: Keywords, _ keyword: String) throws(SchemaError) -> Int? {
        guard let value = keywords[keyword] else { return nil }
        if let integer = value.intValue, integer >= 0 { return integer }
        if case let .double(double) = value, double.isFinite, double.rounded() == double, double > 0 { return Int.max }
        throw invalid(keywords, keyword, "must be a non-negative integer, got \(SchemaMessages.describe(value))")
    }

    /// An array of strings, at `keyword` or `keyword/name`.
    private func stringArray(_ keywords: Keywords, _ keyword: String, _ name: String? = nil) throws(SchemaError) -> [String]? {
        guard let value = name.map({ keywords[keyword]?[$0] }) ?? keywords[keyword] else { return nil }
        let tokens = [keyword] + (name.map { [$0] } ?? [])
        let problem = "\"\(keyword)\" must be an array of strings, got \(SchemaMessages.describe(value))"
        guard case let .array(elements) = value else { throw invalid(keywords, tokens, reason: problem) }
        var strings: [String] = []
        for element in elements {
            guard case let .string(string) = element else { throw invalid(keywords, tokens, reason: problem) }
            strings.append(string)
        }
        return strings
    }

    /// A compiled regular expression, shared by every keyword of the schema that uses the source.
    private mutating func pattern(_ source: String, _ keywords: Keywords, _ tokens: String...) throws(SchemaError) -> SchemaPattern {
        if let cached = patternCache[source] { return cached }
        guard let compiled = SchemaPattern(source) else {
            var location = keywords.location
            for token in tokens { location = location.appending(token) }
            throw SchemaError(.invalidPattern, at: describe(location), "\"\(source)\" is not a valid regular expression")
        }
        patternCache[source] = compiled
        return compiled
    }
}
