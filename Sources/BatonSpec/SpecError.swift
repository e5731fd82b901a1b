/// One problem found in a workflow file: where it is, which key it concerns, and what was expected.
///
/// Its description reads like a compiler's, so that editors and terminals can jump to it:
///
/// ```
/// triage.yaml:12:5: nodes.fix.retry.max_attempts: expected a positive integer, found "three"
/// ```
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The file as it was named to the loader (or `<input>` for text).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars as YAML parsers count them.
    public var column: Int
    /// The key path of the offending value, such as `nodes.fix.retry.max_attempts` or
    /// `edges[2].to[0]`; empty when the problem is the file itself (unreadable, not YAML).
    public var path: String
    /// What was expected and what was found.
    public var message: String

    public init(file: String, line: Int, column: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "\(file):\(line):\(column): \(message)" : "\(file):\(line):\(column): \(path): \(message)"
    }
}

/// A workflow file that could not be loaded, with every problem found (not only the first).
public struct SpecError: Error, Sendable, CustomStringConvertible {
    /// The problems, in the order they were found; never empty.
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
