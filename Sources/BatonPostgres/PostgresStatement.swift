import PostgresNIO

/// SQL text and its bound values built together, so that each `$n` names its own value: for
/// statements whose shape depends on what they write (a row per event, optional parts).
struct PostgresStatement {
    var sql = ""
    var bindings = PostgresBindings()

    /// Binds `value` and returns its placeholder (`$n`).
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    /// Binds `value` (NULL when `nil`) and returns its placeholder.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: bindings) }
}
