import Foundation
import Testing

import BatonCore

@Suite("JSONSchema")
struct JSONSchemaTests {
    // MARK: - Helpers

    private func schema(_ text: String, registry: SchemaRegistry = SchemaRegistry()) throws -> JSONSchema {
        try JSONSchema(try JSON(parsing: text), registry: registry)
    }

    private func errors(_ schemaText: String, _ instanceText: String) throws -> [SchemaValidationError] {
        let compiled = try schema(schemaText)
        let instance = try JSON(parsing: instanceText)
        let result = compiled.validate(instance)
        #expect(result.isValid == compiled.isValid(instance), "isValid and validate disagree")
        return result.errors
    }

    private func schemaError(_ text: String) throws -> SchemaError? {
        let json = try JSON(parsing: text)
        do {
            _ = try JSONSchema(json)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Error paths and messages

    @Test func typeErrorNamesTheValueAndItsLocation() throws {
        let found = try errors(#"{"properties": {"age": {"type": "integer"}}}"#, #"{"age": "abc"}"#)
        #expect(
            found == [SchemaValidationError(instancePath: "/age", schemaPath: "/properties/age/type", message: #"expected integer, got string "abc""#)])
    }

    @Test func missingRequiredProperty() throws {
        let found = try errors(#"{"type": "object", "required": ["name", "id"], "properties": {"id": true}}"#, #"{"id": 1}"#)
        #expect(found == [SchemaValidationError(instancePath: "", schemaPath: "/required", message: "missing required property 'name'")])
    }

    @Test func requiredWithoutProperties() throws {
        let found = try errors(#"{"required": ["a", "b"]}"#, #"{"b": 1}"#)
        #expect(found.map(\.message) == ["missing required property 'a'"])
    }

    @Test func boundsSayWhatIsAllowed() throws {
        #expect(try errors(#"{"maximum": 10}"#, "11").map(\.message) == ["must be at most 10"])
        #expect(try errors(#"{"minimum": 1.5}"#, "1").map(\.message) == ["must be at least 1.5"])
        #expect(try errors(#"{"exclusiveMaximum": 10}"#, "10").map(\.message) == ["must be less than 10"])
        #expect(try errors(#"{"exclusiveMinimum": 0}"#, "0").map(\.message) == ["must be greater than 0"])
        #expect(try errors(#"{"multipleOf": 0.5}"#, "0.7").map(\.message) == ["must be a multiple of 0.5"])
    }

    @Test func nestedPathsThroughArraysAndObjects() throws {
        let found = try errors(
            #"{"properties": {"items": {"items": {"required": ["name"]}}}}"#,
            #"{"items": [{"name": 1}, {}, {"name": 2}]}"#)
        #expect(found.count == 1)
        #expect(found.first?.instancePath == "/items/1")
        #expect(found.first?.schemaPath == "/properties/items/items/required")
        #expect(found.first?.message == "missing required property 'name'")
    }

    @Test func schemaPathFollowsReferences() throws {
        let found = try errors(
            ##"{"$defs": {"positive": {"type": "integer", "minimum": 1}}, "properties": {"n": {"$ref": "#/$defs/positive"}}}"##,
            #"{"n": 0}"#)
        #expect(found == [SchemaValidationError(instancePath: "/n", schemaPath: "/properties/n/$ref/minimum", message: "must be at least 1")])
    }

    @Test func pointerTokensAreEscaped() throws {
        let found = try errors(#"{"properties": {"a/b~c": {"type": "string"}}}"#, #"{"a/b~c": 1}"#)
        #expect(found.first?.instancePath == "/a~1b~0c")
        #expect(found.first?.schemaPath == "/properties/a~1b~0c/type")
    }

    @Test func additionalPropertiesListsTheAllowedNames() throws {
        let found = try errors(
            #"{"properties": {"name": {}, "age": {}}, "additionalProperties": false}"#, #"{"name": "x", "nmae": 1}"#)
        #expect(found.count == 1)
        #expect(found.first?.instancePath == "/nmae")
        #expect(found.first?.schemaPath == "/additionalProperties")
        #expect(found.first?.message == "property 'nmae' is not allowed; the allowed properties are 'age', 'name'")
    }

    @Test func anyOfSumsUpEachBranch() throws {
        let found = try errors(#"{"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 10}]}"#, "5")
        #expect(found.count == 1)
        #expect(found.first?.schemaPath == "/anyOf")
        #expect(
            found.first?.message
                == "must match at least one of the schemas in 'anyOf', but matches none: schema 0: expected string, got integer 5; schema 1: must be at least 10")
    }

    @Test func oneOfMatchingTwice() throws {
        let found = try errors(#"{"oneOf": [{"type": "integer"}, {"minimum": 0}]}"#, "3")
        #expect(found.map(\.message) == ["must match exactly one of the schemas in 'oneOf', but matches 2 (schemas 0 and 1)"])
    }

    @Test func enumAndConst() throws {
        #expect(try errors(#"{"enum": ["a", "b", 3]}"#, #""c""#).map(\.message) == [#"must be one of "a", "b" or 3, got "c""#])
        #expect(try errors(#"{"const": {"k": [1]}}"#, #"{"k": [2]}"#).map(\.message) == [#"must be {"k":[1]}"#])
    }

    @Test func everyErrorIsReported() throws {
        let found = try errors(
            #"{"properties": {"a": {"type": "string"}, "b": {"maxLength": 2}}, "required": ["c"]}"#, #"{"a": 1, "b": "long"}"#)
        #expect(Set(found.map(\.instancePath)) == ["/a", "/b", ""])
        #expect(found.count == 3)
    }

    @Test func errorsComeOutInTheSameOrderEveryTime() throws {
        let found = try errors(
            #"{"properties": {"b": {"type": "string"}, "a": {"type": "string"}, "c": {"type": "string"}}}"#,
            #"{"c": 1, "b": 1, "a": 1}"#)
        #expect(found.map(\.instancePath) == ["/a", "/b", "/c"])
    }

    @Test func lengthCountsCodePoints() throws {
        let compiled = try schema(#"{"minLength": 2, "maxLength": 2}"#)
        #expect(compiled.isValid("😀😀"))  // 2 code points, 4 UTF-16 units, 8 bytes
        #expect(!compiled.isValid("e\u{301}x"))  // 3 code points, 2 characters: too long
        #expect(compiled.validate("abc").errors.map(\.message) == ["must be at most 2 characters long, got 3"])
    }

    @Test func falseSchemaAndItemsLimit() throws {
        let found = try errors(#"{"prefixItems": [{}, {}], "items": false}"#, "[1, 2, 3]")
        #expect(found == [SchemaValidationError(instancePath: "/2", schemaPath: "/items", message: "unexpected item at index 2: at most 2 items are allowed")])
        #expect(try errors("false", "1").map(\.message) == ["no value is allowed here (the schema is false)"])
    }

    @Test func unevaluatedPropertiesSeesThroughAllOf() throws {
        let text = #"{"allOf": [{"properties": {"a": {}}}], "properties": {"b": {}}, "unevaluatedProperties": false}"#
        #expect(try errors(text, #"{"a": 1, "b": 2}"#).isEmpty)
        let found = try errors(text, #"{"a": 1, "c": 3}"#)
        #expect(found.map(\.instancePath) == ["/c"])
        #expect(found.first?.schemaPath == "/unevaluatedProperties")
    }

    @Test func validInstanceHasNoErrors() throws {
        let compiled = try schema(#"{"type": "object", "properties": {"a": {"type": "integer"}}}"#)
        #expect(compiled.validate(["a": 1]) == SchemaValidationResult(errors: []))
        #expect(compiled.validate(["a": 1]).isValid)
    }

    // MARK: - Invalid schemas

    @Test func invalidKeywordValues() throws {
        let type = try #require(try schemaError(#"{"type": 5}"#))
        #expect(type.kind == .invalidKeyword)
        #expect(type.location == "/type")
        #expect(type.description.hasPrefix("invalid schema at /type: \"type\" must be a type name"))
        #expect(try schemaError(#"{"type": "integr"}"#)?.kind == .invalidKeyword)
        #expect(try schemaError(#"{"minLength": -1}"#)?.location == "/minLength")
        #expect(try schemaError(#"{"multipleOf": 0}"#)?.location == "/multipleOf")
        #expect(try schemaError(#"{"required": ["a", 1]}"#)?.location == "/required")
        #expect(try schemaError(#"{"properties": {"a": 3}}"#)?.location == "/properties/a")
        #expect(try schemaError(#"{"allOf": []}"#)?.location == "/allOf")
        #expect(try schemaError("5")?.kind == .invalidKeyword)
    }

    @Test func unresolvableReferences() throws {
        let pointer = try #require(try schemaError(##"{"$ref": "#/nope"}"##))
        #expect(pointer.kind == .unresolvableReference)
        #expect(pointer.location == "/$ref")
        #expect(try schemaError(##"{"$ref": "#missing-anchor"}"##)?.kind == .unresolvableReference)
        #expect(try schemaError(#"{"$ref": "https://example.com/unknown.json"}"#)?.kind == .unresolvableReference)
        #expect(try schemaError(##"{"properties": {"a": {"$ref": "#/$defs/b"}}}"##)?.location == "/properties/a/$ref")
    }

    @Test func invalidPatterns() throws {
        #expect(try schemaError(#"{"pattern": "("}"#)?.kind == .invalidPattern)
        #expect(try schemaError(#"{"pattern": "a**"}"#)?.kind == .invalidPattern)
        #expect(try schemaError(#"{"pattern": "[b-a]"}"#)?.kind == .invalidPattern)
        #expect(try schemaError(#"{"patternProperties": {"\\a": {}}}"#)?.location == #"/patternProperties/\a"#)
    }

    @Test func unknownRequiredVocabularyIsRefused() throws {
        var registry = SchemaRegistry()
        registry.register(
            ["$vocabulary": ["https://example.com/vocab/mine": true, "https://json-schema.org/draft/2020-12/vocab/core": true]],
            as: "https://example.com/meta")
        #expect(throws: SchemaError.self) {
            try JSONSchema(["$schema": "https://example.com/meta"], registry: registry)
        }
    }

    // MARK: - References and the registry

    @Test func registeredDocumentsResolve() throws {
        var registry = SchemaRegistry()
        registry.register(["$defs": ["name": ["type": "string", "minLength": 1]]], as: "https://example.com/common.json")
        let compiled = try schema(#"{"properties": {"name": {"$ref": "https://example.com/common.json#/$defs/name"}}}"#, registry: registry)
        #expect(compiled.isValid(["name": "Ada"]))
        #expect(compiled.validate(["name": ""]).errors.first?.schemaPath == "/properties/name/$ref/minLength")
    }

    @Test func embeddedIdentifiersAndAnchors() throws {
        let compiled = try schema(
            ##"""
            {"$id": "https://example.com/root.json",
             "$defs": {"item": {"$id": "item.json", "$anchor": "it", "type": "integer"}},
             "properties": {"a": {"$ref": "item.json"}, "b": {"$ref": "item.json#it"}, "c": {"$ref": "#/$defs/item"}}}
            """##)
        #expect(compiled.isValid(["a": 1, "b": 2, "c": 3]))
        #expect(!compiled.isValid(["b": "x"]))
    }

    @Test func schemasValidateAgainstTheBundledMetaschema() throws {
        let metaschema = try schema(#"{"$ref": "https://json-schema.org/draft/2020-12/schema"}"#)
        #expect(metaschema.isValid(["type": "string", "minLength": 2]))
        #expect(!metaschema.isValid(["type": 5]))
        #expect(!metaschema.isValid(["properties": ["a": ["minimum": "ten"]]]))
    }

    @Test func recursiveSchema() throws {
        let tree = try schema(
            ##"{"type": "object", "properties": {"value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#"}}}}"##)
        #expect(tree.isValid(try JSON(parsing: #"{"value": 1, "children": [{"value": 2, "children": []}]}"#)))
        let found = tree.validate(try JSON(parsing: #"{"children": [{"children": [{"value": "x"}]}]}"#)).errors
        #expect(found.first?.instancePath == "/children/0/children/0/value")
        #expect(found.first?.schemaPath == "/properties/children/items/$ref/properties/children/items/$ref/properties/value/type")
    }

    // MARK: - Numbers

    @Test func multipleOfUsesDecimalArithmetic() throws {
        let small = try schema(#"{"multipleOf": 0.0001}"#)
        #expect(small.isValid(0.0075))
        #expect(!small.isValid(0.00751))
        let cents = try schema(#"{"multipleOf": 0.01}"#)
        #expect(cents.isValid(19.99))  // 19.99 / 0.01 is 1998.9999999999998 in binary
        #expect(cents.isValid(1e300))
        #expect(!cents.isValid(0.001))
        let odd = try schema(#"{"multipleOf": 0.123456789}"#)
        #expect(!odd.isValid(1e308))
        #expect(try schema(#"{"multipleOf": 3}"#).isValid(.int(Int.min + 2)))
        #expect(try schema(#"{"multipleOf": 1e-8}"#).isValid(12391239123))
    }

    @Test func integersAndDoublesCompareExactly() throws {
        let bound = try schema(#"{"maximum": 9007199254740992}"#)
        #expect(!bound.isValid(.int(9_007_199_254_740_993)))  // would round to the bound as a double
        #expect(bound.isValid(.double(9_007_199_254_740_992)))
        #expect(try schema(#"{"exclusiveMinimum": 0.5}"#).isValid(1))
        #expect(!(try schema(#"{"minimum": 1.5}"#).isValid(1)))
        #expect(try schema(#"{"type": "integer"}"#).isValid(1.0))
        #expect(!(try schema(#"{"type": "integer"}"#).isValid(1.5)))
    }

    @Test func nonFiniteInstancesAreInvalidNotFatal() throws {
        let compiled = try schema(#"{"minimum": 0, "maximum": 10, "multipleOf": 2}"#)
        #expect(!compiled.isValid(.double(.nan)))
        #expect(!compiled.isValid(.double(.infinity)))
        #expect(!compiled.validate(.double(-.infinity)).isValid)
    }

    // MARK: - Regular expressions

    @Test func patternsFollowECMA262() throws {
        func matches(_ pattern: String, _ text: String) throws -> Bool {
            try JSONSchema(["pattern": .string(pattern)]).isValid(.string(text))
        }
        #expect(try matches(#"^\d+$"#, "123"))
        #expect(try !matches(#"^\d+$"#, "١٢٣"))  // \d is ASCII only
        #expect(try matches(#"^\p{Nd}+$"#, "١٢٣"))
        #expect(try !matches("^abc$", "abc\n"))  // $ does not match before a final newline
        #expect(try matches(#"^\w+$"#, "snake_case1"))
        #expect(try !matches(#"^\w+$"#, "é"))
        #expect(try matches(#"^\s$"#, "\u{FEFF}"))
        #expect(try matches("^.$", "🐲"))  // one code point
        #expect(try matches("^🐲{2}$", "🐲🐲"))
        #expect(try matches("(?<=\\$)\\d+", "cost: $42"))
        #expect(try !matches("(?<!\\$)\\b\\d+", "$42"))
        #expect(try matches("^(?!admin$)[a-z]+$", "ada"))
        #expect(try !matches("^(?!admin$)[a-z]+$", "admin"))
        #expect(try matches("^[a-z]+(-[a-z]+)*$", "kebab-case-name"))
        #expect(try matches(#"^\p{Lu}\p{Ll}+$"#, "Émile"))
        #expect(try matches("a{", "a{"))  // a literal brace, as ECMA-262 reads it
        #expect(try matches("", "anything"))
        #expect(try matches("(a)\\1", "aa"))  // backreferences run on ICU
        #expect(try matches(#"\p{Script=Greek}"#, "α"))
    }

    @Test func catastrophicPatternsRunInLinearTime() throws {
        let nested = try JSONSchema(["pattern": "^(a+)+$"])
        let start = Date()
        #expect(!nested.isValid(.string(String(repeating: "a", count: 20_000) + "!")))
        #expect(!(try JSONSchema(["pattern": "(x+x+)+y"])).isValid(.string(String(repeating: "x", count: 5_000))))
        #expect(Date().timeIntervalSince(start) < 5)
    }

    // MARK: - Hostile input

    @Test func referenceCyclesFailInsteadOfCrashing() throws {
        let loop = try schema(##"{"$ref": "#"}"##)
        #expect(!loop.isValid(1))
        #expect(loop.validate(1).errors.first?.message.contains("a $ref cycle") == true)
        let mutual = try schema(##"{"$defs": {"a": {"allOf": [{"$ref": "#/$defs/b"}]}, "b": {"anyOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}"##)
        #expect(!mutual.isValid(["x": 1]))
    }

    @Test func deepInstancesAndSchemasDoNotExhaustTheStack() throws {
        let tree = try schema(##"{"items": {"$ref": "#"}}"##)
        var deep: JSON = 1
        for _ in 0..<100 { deep = .array([deep]) }
        #expect(tree.isValid(deep))
        for _ in 0..<20_000 { deep = .array([deep]) }
        #expect(!tree.isValid(deep))
        #expect(!tree.validate(deep).isValid)

        var nested: JSON = ["type": "integer"]
        for _ in 0..<5_000 { nested = ["not": nested] }
        #expect(throws: SchemaError.self) { try JSONSchema(nested) }
    }

    @Test func randomSchemasNeverCrash() throws {
        var generator = SchemaFuzzGenerator(seed: 2020_12)
        let keywords: [(String, (inout SchemaFuzzGenerator) -> JSON)] = [
            ("type", { _ in ["string", "null"] }), ("minimum", { .int(Int($0.next() % 7) - 3) }),
            ("maxLength", { .int(Int($0.next() % 4)) }), ("pattern", { _ in "^a*b?$" }),
            ("items", { _ in ["type": "integer"] }), ("contains", { _ in ["const": 1] }),
            ("minContains", { .int(Int($0.next() % 3)) }), ("uniqueItems", { _ in true }),
            ("required", { _ in ["a"] }), ("properties", { _ in ["a": ["type": "integer"], "b": false] }),
            ("additionalProperties", { _ in ["type": "string"] }), ("unevaluatedProperties", { _ in false }),
            ("unevaluatedItems", { _ in ["type": "string"] }), ("prefixItems", { _ in [true, ["type": "string"]] }),
            ("anyOf", { _ in [["type": "integer"], ["required": ["b"]]] }), ("not", { _ in ["const": 2] }),
            ("if", { _ in ["minimum": 0] }), ("then", { _ in ["multipleOf": 2] }), ("else", { _ in ["maximum": -5] }),
            ("dependentSchemas", { _ in ["a": ["required": ["c"]]] }), ("propertyNames", { _ in ["maxLength": 1] }),
            ("enum", { _ in [1, "a", nil, ["a": 1]] }),
        ]
        let instances: [JSON] = [
            nil, true, 0, -4, 2.5, 1e300, .double(.nan), "", "aab", "é😀", [], [1, 1], [1, "a", nil], ["a": 1],
            ["a": "x", "b": 2, "c": []], ["": ["": [[]]]],
        ]
        for _ in 0..<300 {
            var members: [String: JSON] = [:]
            for _ in 0..<(1 + generator.next() % 5) {
                let (keyword, value) = keywords[Int(generator.next() % UInt64(keywords.count))]
                members[keyword] = value(&generator)
            }
            let compiled = try JSONSchema(.object(members))
            for instance in instances {
                let result = compiled.validate(instance)
                #expect(result.isValid == compiled.isValid(instance), "\(JSON.object(members)) on \(instance)")
                for error in result.errors { #expect(!error.message.isEmpty) }
            }
        }
    }

    @Test func compiledSchemasAreSharedAcrossTasks() async throws {
        let compiled = try schema(#"{"type": "object", "properties": {"n": {"type": "integer", "maximum": 100}}, "required": ["n"]}"#)
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<200 {
                group.addTask { compiled.isValid(["n": .int(index)]) == (index <= 100) }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(results)
    }
}

/// A small deterministic random number generator for the fuzz test.
private struct SchemaFuzzGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
