import BatonCore
import Yams

extension WorkflowDecoder {
    static let retryKeys = ["max_attempts", "backoff", "multiplier", "max_backoff", "jitter", "retry_on", "never_retry_on"]

    /// `retry: 3` or `retry: { max_attempts: 3, backoff: 200ms, multiplier: 2, max_backoff: 10s,
    /// jitter: 0.2, retry_on: [timeout], never_retry_on: [auth] }`.
    func retryPolicy(_ node: YAMLNode, at path: String) -> RetryPolicy? {
        if node.scalarKind == .int {
            return context.integer(node, at: path).map { RetryPolicy(maxAttempts: $0) }
        }
        guard let fields = context.mapping(node, at: path, expected: "a number of attempts or a retry mapping", allowed: Self.retryKeys) else {
            return nil
        }
        let defaults = RetryPolicy()
        var read = FieldReader(fields)
        let attempts = read("max_attempts") { context.integer($0, at: $1) }
        let backoff = read("backoff") { duration($0, at: $1, allowZero: true) }
        let multiplier = read("multiplier") { context.number($0, at: $1, in: 1...1000, expected: "a number from 1 to 1000") }
        let maxBackoff = read("max_backoff") { duration($0, at: $1, allowZero: true) }
        let jitter = read("jitter") { context.number($0, at: $1, in: 0...1, expected: "a fraction from 0 to 1") }
        let retryOn = read("retry_on") { context.strings($0, at: $1, "an error code") }
        let neverRetryOn = read("never_retry_on") { context.strings($0, at: $1, "an error code") }
        if read.failed { return nil }
        return RetryPolicy(
            maxAttempts: attempts ?? defaults.maxAttempts, initialBackoff: backoff ?? defaults.initialBackoff,
            multiplier: multiplier ?? defaults.multiplier, maxBackoff: maxBackoff ?? defaults.maxBackoff,
            jitter: jitter ?? defaults.jitter, retryOn: retryOn.map(Set.init), neverRetryOn: Set(neverRetryOn ?? [])
        )
    }

    /// `250ms`, `30s`, `5m`, `1h`, `1h30m`, `1.5s`, or a number of seconds.
    func duration(_ node: YAMLNode, at path: String, allowZero: Bool = false) -> Duration? {
        context.duration(node, at: path, allowZero: allowZero)
    }

    /// `success: "output.ok == true"` or `success: { schema: {…} }`.
    func successCriterion(_ node: YAMLNode, at path: String) -> SuccessCriterion? {
        if case .scalar = node {
            return context.expression(node, at: path, scope: ExpressionScope.success).map { .condition(.expression($0)) }
        }
        guard let fields = context.mapping(node, at: path, expected: "an expression or { schema: … }", allowed: ["schema"]),
            let schemaNode = context.required(fields, "schema", "the JSON Schema the output must satisfy")
        else { return nil }
        return schema(schemaNode, at: fields.path("schema")).map(SuccessCriterion.schema)
    }

    /// A JSON Schema written in YAML.
    func schema(_ node: YAMLNode, at path: String) -> JSONSchema? {
        guard case .mapping = node else {
            context.error(path, node: node, "expected a JSON Schema (a mapping such as { type: object }), found \(node.found)")
            return nil
        }
        guard let json = context.json(node, at: path) else { return nil }
        do {
            return try JSONSchema(json)
        } catch {
            // Point at the offending keyword: its JSON Pointer names a path under `path`.
            let at = schemaPath(error.location, under: path)
            context.error(at, "invalid JSON Schema: \(error.reason)")
            return nil
        }
    }

    /// `/properties/age/minimum` under `input` → `input.properties.age.minimum` (array indexes as `[n]`).
    private func schemaPath(_ pointer: String, under path: String) -> String {
        guard pointer.hasPrefix("/") else { return path }
        var result = path
        for token in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let segment = String(token).replacing("~1", with: "/").replacing("~0", with: "~")
            let indexed = DecodeContext.index(result, Int(segment) ?? -1)
            result = Int(segment) != nil && context.hasPosition(indexed) ? indexed : DecodeContext.join(result, segment)
        }
        return result
    }
}
