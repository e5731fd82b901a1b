import BatonCore
import BatonTesting
import Testing

/// Random schemas built from every keyword, against random instances: the compiler and the
/// validator never crash or hang, and their answers hold together. (The libFuzzer target
/// `SchemaFuzz` does the same on arbitrary bytes; see docs/fuzzing.md.)
@Suite struct JSONSchemaFuzzTests {
    static let keys = ["a", "b", "c", "p1", "x"]

    static func instance(_ random: inout SeededGenerator, depth: Int = 0) -> JSON {
        switch random.below(depth > 2 ? 5 : 8) {
        case 0: return .null
        case 1: return .bool(random.below(2) == 0)
        case 2: return .int(random.below(21) - 10)
        case 3: return .double(Double(random.below(41) - 20) / 4)
        case 4: return .string(random.pick(["", "a", "ab", "abc@d.e", "2025-01-01", "é", "zz9"]))
        case 5, 6:
            return .array((0..<random.below(4)).map { _ in instance(&random, depth: depth + 1) })
        default:
            var members: [String: JSON] = [:]
            for _ in 0..<random.below(4) { members[random.pick(keys)] = instance(&random, depth: depth + 1) }
            return .object(members)
        }
    }

    static func schema(_ random: inout SeededGenerator, depth: Int = 0) -> JSON {
        if depth > 3 || random.below(6) == 0 { return random.pick([true, false, [:]]) }
        var members: [String: JSON] = [:]
        for _ in 0..<(1 + random.below(3)) {
            let sub = { (random: inout SeededGenerator) in schema(&random, depth: depth + 1) }
            switch random.below(24) {
            case 0: members["type"] = .string(random.pick(["object", "array", "string", "integer", "number", "boolean", "null"]))
            case 1: members["properties"] = .object(Dictionary(uniqueKeysWithValues: keys.prefix(random.below(3) + 1).map { ($0, sub(&random)) }))
            case 2: members["required"] = .array(keys.prefix(random.below(3)).map(JSON.string))
            case 3: members["additionalProperties"] = sub(&random)
            case 4: members["patternProperties"] = ["^p": sub(&random)]
            case 5: members["items"] = sub(&random)
            case 6: members["prefixItems"] = [sub(&random), sub(&random)]
            case 7: members["contains"] = sub(&random); members["minContains"] = .int(random.below(3)); members["maxContains"] = .int(random.below(3) + 1)
            case 8: members["minimum"] = .int(random.below(5) - 2); members["exclusiveMaximum"] = .double(Double(random.below(8)) / 2)
            case 9: members["multipleOf"] = random.pick([0.5, 2, 3])
            case 10: members["minLength"] = .int(random.below(3)); members["maxLength"] = .int(random.below(4))
            case 11: members["pattern"] = .string(random.pick(["^a", "b$", "(a|b)*c", "[^@]+@", "\\d{2,}", "é"]))
            case 12: members["enum"] = [instance(&random), instance(&random)]
            case 13: members["const"] = instance(&random)
            case 14: members["allOf"] = [sub(&random), sub(&random)]
            case 15: members["anyOf"] = [sub(&random), sub(&random)]
            case 16: members["oneOf"] = [sub(&random), sub(&random)]
            case 17: members["not"] = sub(&random)
            case 18: members["if"] = sub(&random); members["then"] = sub(&random); members["else"] = sub(&random)
            case 19: members["dependentRequired"] = ["a": ["b"]]; members["dependentSchemas"] = ["b": sub(&random)]
            case 20: members["unevaluatedProperties"] = sub(&random)
            case 21: members["unevaluatedItems"] = sub(&random)
            case 22: members["$defs"] = ["n": sub(&random)]; members["$ref"] = "#/$defs/n"
            default: members["uniqueItems"] = true; members["propertyNames"] = ["maxLength": 1]
            }
        }
        return .object(members)
    }

    @Test func randomSchemasAndInstancesNeverBreakTheValidator() throws {
        var random = SeededGenerator(seed: 20_251_125)
        var compiled = 0
        var valid = 0
        for round in 0..<3_000 {
            let source = Self.schema(&random)
            guard let schema = try? JSONSchema(source) else { continue }
            compiled += 1
            for _ in 0..<4 {
                let instance = Self.instance(&random)
                let result = schema.validate(instance)
                #expect(result.isValid == schema.isValid(instance), "round \(round): \(source.canonicalString) on \(instance.canonicalString)")
                #expect(result.isValid == result.errors.isEmpty)
                #expect(result.errors.allSatisfy { ($0.instancePath.isEmpty || $0.instancePath.utf8.first == UInt8(ascii: "/")) && !$0.message.isEmpty })
                #expect(schema.validate(instance) == result)
                if result.isValid { valid += 1 }
            }
        }
        // The generator must exercise both outcomes, or the test proves little.
        #expect(compiled > 2_000)
        #expect(valid > 500 && valid < compiled * 4 - 500)
    }

    @Test func randomBytesAsSchemasAreRefusedOrCompiled() {
        var random = SeededGenerator(seed: 7)
        let pieces = ["{", "}", "[", "]", ":", ",", "\"type\"", "\"$ref\"", "\"#\"", "\"items\"", "\"pattern\"", "\"(\"", "1", "true", "null", "\"a\""]
        for _ in 0..<5_000 {
            let text = (0..<random.below(12)).map { _ in random.pick(pieces) }.joined()
            guard let json = try? JSON(parsing: Array(text.utf8)) else { continue }
            if let schema = try? JSONSchema(json) { _ = schema.validate(json) }
        }
    }
}

/// Schemas whose evaluation would never end, or take exponential time, stop with an error.
@Suite struct JSONSchemaCostTests {
    @Test func aReferenceCycleUnderAlternativesStopsAtOnce() throws {
        let schema = try JSONSchema(["$defs": ["n": ["anyOf": [["$ref": "#/$defs/n"], ["$ref": "#/$defs/n"]]]], "$ref": "#/$defs/n"])
        let clock = ContinuousClock()
        let started = clock.now
        let result = schema.validate(1)
        #expect(!result.isValid)
        #expect(result.errors.contains { $0.message.contains("without end") })
        #expect(clock.now - started < .seconds(5))
    }

    @Test func exponentialBranchingWithoutACycleRunsOutOfBudget() async throws {
        // d0 = anyOf[d1, d1], d1 = anyOf[d2, d2], … d40 = false: 2^40 paths through 41 definitions.
        var definitions: [String: JSON] = ["d40": false]
        for level in 0..<40 {
            let next: JSON = ["$ref": .string("#/$defs/d\(level + 1)")]
            definitions["d\(level)"] = ["anyOf": [next, next]]
        }
        let schema = try JSONSchema(["$defs": .object(definitions), "$ref": "#/$defs/d0"])
        let clock = ContinuousClock()
        let started = clock.now
        // Seconds of work in a debug build: on a thread of its own, not the tests' shared pool.
        let result = try await onOwnThread { schema.validate("x") }
        #expect(!result.isValid)
        #expect(result.errors.contains { $0.message.contains("takes too long") })
        #expect(clock.now - started < .seconds(60))
    }
}

extension SeededGenerator {
    /// A number in `0..<bound`.
    fileprivate mutating func below(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &self) }

    /// One of `options`, which must not be empty.
    fileprivate mutating func pick<T>(_ options: [T]) -> T { options[below(options.count)] }
}
