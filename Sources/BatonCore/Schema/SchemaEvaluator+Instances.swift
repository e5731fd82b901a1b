/// The keywords that apply to one kind of instance: numbers, strings, arrays and objects, with
/// `unevaluatedItems` and `unevaluatedProperties`.
extension SchemaEvaluator {
    // MARK: - Numbers

    mutating func evaluateNumber(_ rules: SchemaNumberRules, _ instance: JSON) -> Bool {
        var valid = true
        if let bound = rules.minimum, (SchemaNumber.compare(instance, bound) ?? -1) < 0 {
            guard fail("minimum", "must be at least \(bound)") else { return false }
            valid = false
        }
        if let bound = rules.maximum, (SchemaNumber.compare(instance, bound) ?? 1) > 0 {
            guard fail("maximum", "must be at most \(bound)") else { return false }
            valid = false
        }
        if let bound = rules.exclusiveMinimum, (SchemaNumber.compare(instance, bound) ?? -1) <= 0 {
            guard fail("exclusiveMinimum", "must be greater than \(bound)") else { return false }
            valid = false
        }
        if let bound = rules.exclusiveMaximum, (SchemaNumber.compare(instance, bound) ?? 1) >= 0 {
            guard fail("exclusiveMaximum", "must be less than \(bound)") else { return false }
            valid = false
        }
        if let divisor = rules.multipleOf, !(SchemaNumber.Decimal(instance).map(divisor.divides) ?? false) {
            guard fail("multipleOf", "must be a multiple of \(rules.divisor.map(String.init(describing:)) ?? "")") else {
                return false
            }
            valid = false
        }
        return valid
    }

    // MARK: - Strings

    mutating func evaluateString(_ rules: SchemaStringRules, _ text: String) -> Bool {
        var valid = true
        if let minimum = rules.minLength {
            // A code point takes one to four UTF-8 bytes: count them only when that is not enough.
            let bytes = text.utf8.count
            if bytes / 4 < minimum, (bytes < minimum ? bytes : text.unicodeScalars.count) < minimum {
                guard fail(
                    "minLength",
                    "must be at least \(SchemaMessages.count(minimum, "character", "characters")) long, got \(text.unicodeScalars.count)")
                else { return false }
                valid = false
            }
        }
        if let maximum = rules.maxLength, text.utf8.count > maximum {
            let length = text.unicodeScalars.count
            if length > maximum {
                guard fail(
                    "maxLength", "must be at most \(SchemaMessages.count(maximum, "character", "characters")) long, got \(length)")
                else { return false }
                valid = false
            }
        }
        if let pattern = rules.pattern, !pattern.matches(text) {
            guard fail("pattern", "must match the pattern \(pattern.source)") else { return false }
            valid = false
        }
        return valid
    }

    // MARK: - Arrays

    mutating func evaluateArray(_ keyword: SchemaKeyword, _ items: [JSON], _ local: inout EvaluatedLocations?) -> Bool {
        switch keyword {
        case let .minItems(minimum):
            return check(
                items.count >= minimum, "minItems",
                "must have at least \(SchemaMessages.count(minimum, "item", "items")), got \(items.count)")
        case let .maxItems(maximum):
            return check(
                items.count <= maximum, "maxItems",
                "must have at most \(SchemaMessages.count(maximum, "item", "items")), got \(items.count)")
        case .uniqueItems:
            guard let (first, second) = SchemaEquality.duplicate(in: items) else { return true }
            return check(false, "uniqueItems", "items must be unique, but items \(first) and \(second) are equal")
        case let .items(schema):
            return evaluateItems(schema, items, &local)
        case let .contains(contains):
            return evaluateContains(contains, items, &local)
        default:
            return true
        }
    }

    private mutating func evaluateItems(_ schema: SchemaItems, _ items: [JSON], _ local: inout EvaluatedLocations?) -> Bool {
        var valid = true
        for (index, item) in items.enumerated() {
            let passed: Bool
            if index < schema.prefix.count {
                passed = evaluateChild(
                    schema.prefix[index], item, at: .index(index), schema.prefixKeyword, .index(index),
                    forbidden: "item \(index) is not allowed")
            } else if let rest = schema.rest {
                passed = evaluateChild(
                    rest, item, at: .index(index), schema.restKeyword, nil,
                    forbidden: "unexpected item at index \(index): at most \(SchemaMessages.count(schema.prefix.count, "item is", "items are")) allowed")
            } else {
                break
            }
            if !passed {
                guard collecting else { return false }
                valid = false
            }
        }
        if local != nil {
            if schema.rest != nil {
                local?.allItems = true
            } else {
                let prefix = min(schema.prefix.count, items.count)
                if prefix > local?.itemPrefix ?? 0 { local?.itemPrefix = prefix }
            }
        }
        return valid
    }

    private mutating func evaluateContains(_ contains: SchemaContains, _ items: [JSON], _ local: inout EvaluatedLocations?) -> Bool {
        let tracking = local != nil
        if !tracking, contains.minimum == 0, contains.maximum == nil { return true }
        var matches = 0
        for (index, item) in items.enumerated() {
            if silently({ $0.evaluateItem(contains.node, item) }) {
                matches += 1
                if tracking { local?.items.insert(index) }
                if !tracking, !collecting, matches >= contains.minimum, contains.maximum == nil { break }
            }
        }
        if matches < contains.minimum {
            let keyword = contains.minimum == 1 ? "contains" : "minContains"
            return check(
                false, keyword,
                "must contain at least \(SchemaMessages.count(contains.minimum, "item", "items")) matching the 'contains' schema, found \(matches)")
        }
        if let maximum = contains.maximum, matches > maximum {
            return check(
                false, "maxContains",
                "must contain at most \(SchemaMessages.count(maximum, "item", "items")) matching the 'contains' schema, found \(matches)")
        }
        return true
    }

    mutating func evaluateUnevaluatedItems(_ subschema: Int, _ items: [JSON], _ local: inout EvaluatedLocations?) -> Bool {
        var valid = true
        for (index, item) in items.enumerated() where !(local?.contains(item: index) ?? false) {
            if evaluateChild(
                subschema, item, at: .index(index), "unevaluatedItems", nil,
                forbidden: "unexpected item at index \(index): no schema allows it")
            {
                local?.items.insert(index)
            } else {
                guard collecting else { return false }
                valid = false
            }
        }
        if valid { local?.allItems = true }
        return valid
    }

    // MARK: - Objects

    mutating func evaluateObject(
        _ keyword: SchemaKeyword, _ instance: JSON, _ members: [String: JSON], _ local: inout EvaluatedLocations?
    ) -> Bool {
        switch keyword {
        case let .properties(properties):
            return evaluateProperties(properties, members, &local)
        case let .required(names):
            var valid = true
            for name in names where members[name] == nil {
                guard collecting else { return false }
                report(keyword: "required", "missing required property \(SchemaMessages.name(name))")
                valid = false
            }
            return valid
        case let .minProperties(minimum):
            return check(
                members.count >= minimum, "minProperties",
                "must have at least \(SchemaMessages.count(minimum, "property", "properties")), got \(members.count)")
        case let .maxProperties(maximum):
            return check(
                members.count <= maximum, "maxProperties",
                "must have at most \(SchemaMessages.count(maximum, "property", "properties")), got \(members.count)")
        case let .propertyNames(subschema):
            return evaluatePropertyNames(subschema, members)
        case let .dependentRequired(dependencies, keyword):
            var valid = true
            for dependency in dependencies where members[dependency.property] != nil {
                for name in dependency.value where members[name] == nil {
                    guard collecting else { return false }
                    report(
                        keyword: keyword, .key(dependency.property),
                        "missing property \(SchemaMessages.name(name)), which is required when \(SchemaMessages.name(dependency.property)) is present")
                    valid = false
                }
            }
            return valid
        case let .dependentSchemas(dependencies, keyword):
            var valid = true
            for dependency in dependencies where members[dependency.property] != nil
            && !evaluateInPlace(dependency.value, instance, keyword, .key(dependency.property), &local) {
                guard collecting else { return false }
                valid = false
            }
            return valid
        default:
            return true
        }
    }

    /// `properties`, `patternProperties`, `additionalProperties` and `required`, in one pass.
    private mutating func evaluateProperties(
        _ properties: SchemaProperties, _ members: [String: JSON], _ local: inout EvaluatedLocations?
    ) -> Bool {
        guard collecting else { return evaluateProperties(properties, visiting: members, members, &local) }
        return evaluateProperties(properties, visiting: Self.byName(members), members, &local)
    }

    /// Members in the order errors should come out in: by name, the same on every run.
    private static func byName(_ members: [String: JSON]) -> [(key: String, value: JSON)] {
        members.sorted { $0.key < $1.key }
    }

    /// The pass itself, over `members` in the order of `visiting`: the dictionary's own order
    /// when checking, which is fastest, and ``byName(_:)`` when collecting.
    private mutating func evaluateProperties<Members: Sequence<(key: String, value: JSON)>>(
        _ properties: SchemaProperties, visiting: Members, _ members: [String: JSON], _ local: inout EvaluatedLocations?
    ) -> Bool {
        var valid = true
        var requiredFound = 0
        let tracking = local != nil
        for (key, value) in visiting {
            var matched = false
            if let entry = properties.entry(for: key) {
                if entry.isRequired { requiredFound += 1 }
                if let node = entry.node {
                    matched = true
                    if !evaluateChild(
                        node, value, at: .key(key), "properties", .key(key),
                        forbidden: "property \(SchemaMessages.name(key)) is not allowed")
                    {
                        guard collecting else { return false }
                        valid = false
                    }
                }
            }
            for patternProperty in properties.patterns where patternProperty.pattern.matches(key) {
                matched = true
                if !evaluateChild(
                    patternProperty.node, value, at: .key(key), "patternProperties", .key(patternProperty.pattern.source),
                    forbidden: "property \(SchemaMessages.name(key)) is not allowed")
                {
                    guard collecting else { return false }
                    valid = false
                }
            }
            if !matched, let additional = properties.additional {
                if !evaluateChild(
                    additional, value, at: .key(key), "additionalProperties", nil,
                    forbidden: Self.unexpectedProperty(key, properties))
                {
                    guard collecting else { return false }
                    valid = false
                }
            } else if matched, tracking {
                local?.properties.insert(key)
            }
        }
        if tracking, properties.additional != nil { local?.allProperties = true }
        if requiredFound < properties.required.count {
            guard collecting else { return false }
            for name in properties.required where members[name] == nil {
                report(keyword: "required", "missing required property \(SchemaMessages.name(name))")
            }
            valid = false
        }
        return valid
    }

    /// "property 'x' is not allowed; the allowed properties are 'a', 'b'".
    private static func unexpectedProperty(_ key: String, _ properties: SchemaProperties) -> String {
        let allowed = properties.entries.filter { $0.value.node != nil }.keys.sorted()
        var message = "property \(SchemaMessages.name(key)) is not allowed"
        if !allowed.isEmpty {
            let shown = allowed.prefix(20).map(SchemaMessages.name).joined(separator: ", ")
            message += "; the allowed properties are \(shown)\(allowed.count > 20 ? ", …" : "")"
        }
        if !properties.patterns.isEmpty {
            message += allowed.isEmpty ? "; allowed names match " : ", or names matching "
            message += properties.patterns.map(\.pattern.source).joined(separator: ", ")
        }
        return message
    }

    private mutating func evaluatePropertyNames(_ subschema: Int, _ members: [String: JSON]) -> Bool {
        guard collecting else { return evaluatePropertyNames(subschema, visiting: members.keys) }
        return evaluatePropertyNames(subschema, visiting: members.keys.sorted())
    }

    private mutating func evaluatePropertyNames<Names: Sequence<String>>(_ subschema: Int, visiting names: Names) -> Bool {
        var valid = true
        for key in names {
            let mark = errorCount
            var none: EvaluatedLocations?
            if !evaluateInPlace(subschema, .string(key), "propertyNames", nil, &none) {
                guard collecting else { return false }
                rewriteErrors(since: mark) { "property name \(SchemaMessages.name(key)): \($0)" }
                valid = false
            }
        }
        return valid
    }

    mutating func evaluateUnevaluatedProperties(
        _ subschema: Int, _ members: [String: JSON], _ local: inout EvaluatedLocations?
    ) -> Bool {
        guard collecting else { return evaluateUnevaluatedProperties(subschema, visiting: members, &local) }
        return evaluateUnevaluatedProperties(subschema, visiting: Self.byName(members), &local)
    }

    private mutating func evaluateUnevaluatedProperties<Members: Sequence<(key: String, value: JSON)>>(
        _ subschema: Int, visiting members: Members, _ local: inout EvaluatedLocations?
    ) -> Bool {
        var valid = true
        for (key, value) in members where !(local?.contains(property: key) ?? false) {
            if evaluateChild(
                subschema, value, at: .key(key), "unevaluatedProperties", nil,
                forbidden: "property \(SchemaMessages.name(key)) is not allowed here: no schema defines it")
            {
                local?.properties.insert(key)
            } else {
                guard collecting else { return false }
                valid = false
            }
        }
        if valid { local?.allProperties = true }
        return valid
    }

    // MARK: - Helpers

    /// Reports `message` for `keyword` when collecting; returns whether to go on.
    private mutating func fail(_ keyword: String, _ message: @autoclosure () -> String) -> Bool {
        guard collecting else { return false }
        report(keyword: keyword, message())
        return true
    }

    /// Passes `condition`, or reports `message` for `keyword` and fails.
    private mutating func check(_ condition: Bool, _ keyword: String, _ message: @autoclosure () -> String) -> Bool {
        if condition { return true }
        if collecting { report(keyword: keyword, message()) }
        return false
    }
}
