import BatonCore

/// Reading the arguments of the file tools. A ``ToolBox`` has already checked them against the
/// input schema; these checks serve tools called directly.
enum FileArguments {
    /// The string member `key`; `fallback` when it is missing and one is given.
    static func string(_ key: String, in arguments: JSON, fallback: String? = nil) throws(FileToolError) -> String {
        if let value = arguments[key]?.stringValue { return value }
        if arguments[key] == nil, let fallback { return fallback }
        throw .invalidArguments("'\(key)' must be a string")
    }

    /// The boolean member `key`, `false` when it is missing.
    static func flag(_ key: String, in arguments: JSON) throws(FileToolError) -> Bool {
        guard let value = arguments[key] else { return false }
        guard let flag = value.boolValue else { throw .invalidArguments("'\(key)' must be true or false") }
        return flag
    }
}
