import BatonSpec

/// A refusal of the loaders (workflows, policies) names at least one problem, each at a real
/// position in the named file: line and column at least 1, and for the fuzzed file itself
/// (`fileName`), a line that exists (or the end of the text).
public func checkDiagnostics(_ error: SpecError, _ what: String, text: String, file fileName: String) {
    invariant(!error.diagnostics.isEmpty, "\(what) threw a SpecError without diagnostics")
    let lastLine = lineCount(text)
    for diagnostic in error.diagnostics {
        invariant(
            diagnostic.line >= 1 && diagnostic.column >= 1,
            "\(what): a diagnostic has line \(diagnostic.line), column \(diagnostic.column): \(diagnostic)"
        )
        // libyaml reports the end of a text that lacks a final line break on the line after
        // it (column 1), so one line past the last is allowed.
        invariant(
            diagnostic.file != fileName || diagnostic.line <= lastLine + 1,
            "\(what): a diagnostic is on line \(diagnostic.line) of a text of \(lastLine) lines: \(diagnostic)"
        )
        invariant(!diagnostic.file.isEmpty, "\(what): a diagnostic names no file: \(diagnostic)")
        invariant(!diagnostic.message.isEmpty, "\(what): a diagnostic has no message: \(diagnostic)")
    }
}

/// An upper bound of the number of lines YAML sees in `text`: every character that YAML 1.1 or
/// 1.2 may take for a line break counts (CR LF counts twice), plus one for the last line.
public func lineCount(_ text: String) -> Int {
    var count = 1
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": count += 1
        default: break
        }
    }
    return count
}
