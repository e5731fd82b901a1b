import BatonCore
import FuzzSupport

/// Feeds arbitrary bytes to the JSON parser and to the expression language, and checks what must
/// hold for any input (docs/fuzzing.md):
///
/// - `JSON(parsing:)` never crashes; a refusal names a line and column of at least 1; a parsed
///   value's canonical and pretty texts parse back to an equal value, and canonical text is a fixed point;
/// - `Expression(_:)` never crashes; a refusal names a column of at least 1 and at most one past the end;
/// - `evaluate(in:)` never crashes or hangs, and what it returns survives a canonical round trip
///   (no infinity or NaN leaks out as `null`).
///
/// The input is split at its first NUL byte: the text before it is the expression, and the text
/// after it, when it is JSON, is the context it is evaluated in (else a fixed context). The whole
/// input is also parsed as JSON.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONAndExpressions(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    _ = checkJSON(bytes, "the input")
    let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let source = String(decoding: bytes[..<split], as: UTF8.self)
    var context = defaultContext
    if split < bytes.endIndex, let given = checkJSON(Array(bytes[(split + 1)...]), "the context") {
        context = given
    }
    checkExpression(source, in: context)
    return 0
}

@_cdecl("JSONExpressionFuzz_main")
public func jsonExpressionFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzJSONAndExpressions)
}

/// A context with every JSON type, as the engine passes one (`state`, `input`, `output`, `item`, `index`).
let defaultContext: JSON = [
    "state": [
        "count": 3, "score": 0.85, "name": "Ada", "empty": "", "flags": ["draft", "urgent"],
        "nested": ["a": ["b": [1, 2.5, nil, true]]], "big": .int(Int.max), "small": .int(Int.min),
        "tiny": .double(.leastNonzeroMagnitude), "huge": 1.7976931348623157e308, "none": nil, "yes": true,
    ],
    "input": ["text": "Hello, World! 123", "items": [1, 2, 3], "unicode": "é\u{301}🙂"],
    "output": ["ok": true, "items": [], "checks": [true, false]],
    "item": "x",
    "index": 0,
]

/// Parses `bytes` as JSON and checks the round trips; the value, or `nil` when it is not JSON.
func checkJSON(_ bytes: [UInt8], _ what: String) -> JSON? {
    do {
        let value = try JSON(parsing: bytes)
        checkCanonicalRoundTrip(value, "JSON(parsing:) of \(what)")
        return value
    } catch {
        invariant(error.line >= 1 && error.column >= 1, "JSON(parsing:) of \(what): error at line \(error.line), column \(error.column): \(error)")
        return nil
    }
}

func checkExpression(_ source: String, in context: JSON) {
    let expression: Expression
    do {
        expression = try Expression(source)
    } catch {
        checkColumn(error, source, "Expression(_:)")
        return
    }
    invariant(expression.source == source, "the expression's source is not the text it was parsed from")
    _ = expression.referencedRoots
    do {
        let value = try expression.evaluate(in: context)
        checkCanonicalRoundTrip(value, "the value of \(source.debugDescription)")
        invariant(
            (try? expression.isTrue(in: context)) == value.isTruthy,
            "isTrue(in:) disagrees with the truthiness of evaluate(in:) for \(source.debugDescription)"
        )
    } catch {
        checkColumn(error, source, "evaluate(in:)")
    }
}

/// An expression error points into the source: a 1-based character column, at most one past its end.
func checkColumn(_ error: ExpressionError, _ source: String, _ what: String) {
    invariant(
        error.column >= 1 && error.column <= source.count + 1,
        "\(what): error at column \(error.column) of a \(source.count)-character source: \(error)"
    )
    invariant(error.source == source, "\(what): the error's source is not the expression's")
}
