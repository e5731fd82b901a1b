/// Reads the optional keys of one mapping, each with its own reader, and remembers whether any
/// present key failed (its reader has reported why), so that the caller decodes every key,
/// reporting every mistake, before giving up.
struct FieldReader {
    let fields: YAMLMapping
    private(set) var failed = false

    init(_ fields: YAMLMapping) {
        self.fields = fields
    }

    /// The value of `key` read by `reader` (given the value and its path); `nil` when the key is
    /// absent or the reader refused it.
    mutating func callAsFunction<T>(_ key: String, _ reader: (YAMLNode, String) -> T?) -> T? {
        guard let value = fields.value(key) else { return nil }
        let result = reader(value, fields.path(key))
        if result == nil { failed = true }
        return result
    }
}
