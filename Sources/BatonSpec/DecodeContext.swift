import BatonCore
import Yams

/// A YAML node as Yams composes it (not to be confused with a workflow ``BatonCore/Node``).
typealias YAMLNode = Yams.Node

/// A 1-based line and column in a source file.
struct Position: Sendable, Hashable {
    var line: Int
    var column: Int

    static let start = Position(line: 1, column: 1)

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(_ mark: Mark) {
        self.init(line: mark.line, column: mark.column)
    }

    init?(_ mark: Mark?) {
        guard let mark else { return nil }
        self.init(mark)
    }
}

extension YAMLNode {
    /// Where this node starts, if Yams recorded it.
    var position: Position? { Position(mark) }
}

/// The state of decoding one document: the diagnostics found so far and the position of every
/// path decoded, so that problems found later (by ``Workflow/validate()``) still point at a line.
final class DecodeContext {
    /// At most this many diagnostics are kept for one file; the rest are counted.
    static let diagnosticLimit = 100

    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    /// The diagnostics of the files this one names (policy files), reported after its own.
    private var included: [Diagnostic] = []
    private var dropped = 0
    private var positions: [String: Position] = [:]
    private var keyPositions: [String: Position] = [:]
    /// Paths as ``WorkflowIssue`` spells them → the YAML path and position they came from.
    private var corePaths: [String: (path: String, position: Position?)] = [:]

    init(file: String) {
        self.file = file
    }

    var hasErrors: Bool { !diagnostics.isEmpty }

    // MARK: Positions

    /// Remembers where the value at `path` (and its key, if any) is.
    func record(_ path: String, value: Position?, key: Position? = nil) {
        if let value { positions[path] = value }
        if let key { keyPositions[path] = key }
    }

    /// Says that ``WorkflowIssue`` path `core` means the YAML value at `path`, found at `position`.
    func alias(core: String, to path: String, at position: Position?) {
        corePaths[core] = (path, position)
    }

    /// Whether a position is recorded for exactly `path`.
    func hasPosition(_ path: String) -> Bool { positions[path] != nil || keyPositions[path] != nil }

    /// The position of `path`, or of its nearest recorded ancestor.
    func position(of path: String) -> Position {
        var current: String? = path
        while let candidate = current {
            if let position = positions[candidate] ?? keyPositions[candidate] { return position }
            current = Self.parent(of: candidate)
        }
        return .start
    }

    /// The position of the key that introduces `path`, else of its value.
    func keyPosition(of path: String) -> Position {
        keyPositions[path] ?? position(of: path)
    }

    /// `nodes.a.retry` → `nodes.a`; `edges[2]` → `edges`; `name` → ``; `` → nil.
    static func parent(of path: String) -> String? {
        if path.isEmpty { return nil }
        if path.hasSuffix("]"), let open = path.lastIndex(of: "[") { return String(path[..<open]) }
        if let dot = path.lastIndex(of: ".") { return String(path[..<dot]) }
        return ""
    }

    // MARK: Reporting

    /// Records a problem at `position` (default: where `path` is).
    func error(_ path: String, at position: Position? = nil, _ message: String) {
        guard diagnostics.count < Self.diagnosticLimit else {
            dropped += 1
            return
        }
        let at = position ?? self.position(of: path)
        diagnostics.append(Diagnostic(file: file, line: at.line, column: at.column, path: path, message: message))
    }

    /// Records a problem with the value `node` found at `path`.
    func error(_ path: String, node: YAMLNode, _ message: String) {
        error(path, at: node.position ?? position(of: path), message)
    }

    /// Records an issue found by ``Workflow/validate()``, at the YAML it came from.
    func report(_ issue: WorkflowIssue) {
        if let known = corePaths[issue.path] {
            error(known.path, at: known.position ?? position(of: known.path), issue.message)
        } else {
            error(issue.path, at: keyPositions[issue.path] ?? position(of: issue.path), issue.message)
        }
    }

    /// Adds the diagnostics of a file this one names; its own diagnostic says so.
    func include(_ others: [Diagnostic]) {
        included += others
    }

    /// The diagnostics in source order, with a last line counting those left out, then those of
    /// the files it names.
    func finish() -> [Diagnostic] {
        var sorted = diagnostics.enumerated().sorted { a, b in
            (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
        }.map(\.element)
        if dropped > 0, let last = sorted.last {
            sorted.append(Diagnostic(
                file: file, line: last.line, column: last.column, path: "",
                message: "\(dropped) more problem\(dropped == 1 ? "" : "s") not shown; fix the ones above first"
            ))
        }
        return sorted + included
    }

    // MARK: Paths

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    static func index(_ path: String, _ index: Int) -> String { "\(path)[\(index)]" }
}
