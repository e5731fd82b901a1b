import BatonCore
import Foundation

/// Reading workflow files and naming them.
enum SourceFiles {
    static var currentDirectory: String { FileManager.default.currentDirectoryPath }

    /// `path` made absolute (against `base`, default the current directory) and standardized.
    static func absolute(_ path: String, relativeTo base: String? = nil) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        let directory = URL(fileURLWithPath: base ?? currentDirectory, isDirectory: true)
        return URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL.path
    }

    static func directory(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// How diagnostics name a file that `parent` refers to as `reference`: `examples/child.yaml`
    /// for `child.yaml` named in `examples/parent.yaml`.
    static func display(_ reference: String, besides parent: String) -> String {
        if reference.hasPrefix("/") || parent.hasPrefix("<") { return reference }
        guard let slash = parent.lastIndex(of: "/") else { return reference }
        var joined = String(parent[...slash]) + reference
        while let range = joined.range(of: "/./") { joined.replaceSubrange(range, with: "/") }
        if joined.hasPrefix("./") { joined.removeFirst(2) }
        return joined
    }

    /// The UTF-8 text of the file at `location`, or the diagnostics of why not (named `display`).
    static func read(_ location: String, display: String) -> (String?, [Diagnostic]) {
        func failure(_ message: String, at position: Position = .start) -> (String?, [Diagnostic]) {
            (nil, [Diagnostic(file: display, line: position.line, column: position.column, path: "", message: message)])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory) else {
            return failure("no such file")
        }
        if isDirectory.boolValue { return failure("this is a directory, not a workflow file") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: location))?[.size] as? NSNumber, size.intValue > YAMLSource.maximumBytes {
            return failure("the file is \(size.intValue) bytes; a workflow file may be at most \(YAMLSource.maximumBytes) bytes (1 MiB)")
        }
        guard let handle = FileHandle(forReadingAtPath: location) else { return failure("the file cannot be opened for reading") }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: YAMLSource.maximumBytes + 1)) ?? Data()
        guard data.count <= YAMLSource.maximumBytes else {
            return failure("the file is larger than \(YAMLSource.maximumBytes) bytes (1 MiB), the limit for a workflow file")
        }
        let bytes = [UInt8](data)
        if let text = String(validating: bytes, as: UTF8.self) { return (text, []) }
        return failure("the file is not UTF-8 text (an invalid byte is here)", at: invalidUTF8Position(bytes))
    }

    /// The line and column of the first byte that is not valid UTF-8.
    static func invalidUTF8Position(_ bytes: [UInt8]) -> Position {
        var line = 1
        var column = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar):
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput, .error:
                return Position(line: line, column: column)
            }
        }
    }
}
