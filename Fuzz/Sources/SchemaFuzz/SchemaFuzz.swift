import BatonCore
import FuzzSupport

/// Feeds arbitrary bytes to the JSON Schema compiler and validator, and checks what must hold
/// for any input (docs/fuzzing.md):
///
/// - `JSONSchema(_:)` never crashes or hangs on any JSON value: it compiles or throws a
///   `SchemaError` (unresolvable references, bad regexes, cycles among them);
/// - `validate(_:)` never crashes or hangs, agrees with `isValid(_:)`, and reports at least one
///   error exactly when the instance is invalid; every error has an instance path that is empty
///   or a JSON Pointer, and a message;
/// - validation is deterministic: the same instance gives the same errors twice;
/// - `true` and `{}` accept everything, `false` and `{"not": {}}` reject everything.
///
/// The input is split at its first NUL byte: the schema's JSON before it, the instance's after
/// it (the schema itself is also validated as an instance, against itself).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchema(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
    guard let schemaJSON = try? JSON(parsing: Array(bytes[..<split])) else { return 0 }
    var instances = [schemaJSON]
    if split < bytes.endIndex, let instance = try? JSON(parsing: Array(bytes[(split + 1)...])) { instances.append(instance) }
    for instance in instances { checkTrivialSchemas(instance) }
    guard let schema = try? JSONSchema(schemaJSON) else { return 0 }
    for instance in instances { check(schema, instance) }
    return 0
}

@_cdecl("SchemaFuzz_main")
public func schemaFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzSchema)
}

func check(_ schema: JSONSchema, _ instance: JSON) {
    let result = schema.validate(instance)
    invariant(result.isValid == schema.isValid(instance), "validate(_:) and isValid(_:) disagree on \(instance.canonicalString)")
    invariant(result.isValid == result.errors.isEmpty, "valid is \(result.isValid) with \(result.errors.count) errors")
    for error in result.errors {
        // By bytes: a key that starts with a combining mark joins the "/" into one Character.
        invariant(error.instancePath.isEmpty || error.instancePath.utf8.first == UInt8(ascii: "/"), "instance path \(error.instancePath.debugDescription) is not a JSON Pointer")
        invariant(!error.message.isEmpty, "an error without a message at \(error.instancePath)")
    }
    invariant(schema.validate(instance) == result, "validating twice gave different results for \(instance.canonicalString)")
}

let acceptEverything: [JSONSchema] = [true, [:]].compactMap { try? JSONSchema($0) }
let rejectEverything: [JSONSchema] = [false, ["not": [:]]].compactMap { try? JSONSchema($0) }

func checkTrivialSchemas(_ instance: JSON) {
    invariant(acceptEverything.count == 2 && rejectEverything.count == 2, "a trivial schema does not compile")
    for schema in acceptEverything { invariant(schema.isValid(instance), "\(schema.source.canonicalString) rejected \(instance.canonicalString)") }
    for schema in rejectEverything { invariant(!schema.isValid(instance), "\(schema.source.canonicalString) accepted \(instance.canonicalString)") }
}
