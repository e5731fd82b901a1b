extension JSON {
    /// The object with member `key` set to `value` (a value that is not an object becomes an
    /// object of that one member).
    public func setting(_ key: String, _ value: JSON) -> JSON {
        var members = objectValue ?? [:]
        members[key] = value
        return .object(members)
    }
}
