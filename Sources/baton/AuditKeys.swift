import BatonCore
import Foundation

/// This process's audit keys, from the environment: `BATON_AUDIT_KEY` (the secret itself), or
/// `BATON_AUDIT_KEY_FILE` (a file whose first key line is the current key and whose further
/// lines are retired keys, accepted only for verifying). Stores write with the current key.
/// A key is never printed: errors name where it came from, never what it is.
enum AuditKeys {
    static let variable = "BATON_AUDIT_KEY"
    static let fileVariable = "BATON_AUDIT_KEY_FILE"

    /// The current key first, then retired ones; empty when neither variable is set (or both are empty).
    static func load(from environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [AuditKey] {
        let secret = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        let path = environment[fileVariable].flatMap { $0.isEmpty ? nil : $0 }
        switch (secret, path) {
        case (nil, nil):
            return []
        case (.some, .some):
            throw CLIError("both \(variable) and \(fileVariable) are set; set only one of them")
        case let (secret?, nil):
            return [try key(secret, from: variable)]
        case let (nil, path?):
            return try keys(inFile: path)
        }
    }

    /// The keys of a key file: one per line, surrounding white space ignored, blank lines and
    /// lines starting with `#` skipped.
    private static func keys(inFile path: String) throws -> [AuditKey] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read \(fileVariable) '\(path)': no such file or it is not readable")
        }
        var keys: [AuditKey] = []
        for (offset, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let secret = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if secret.isEmpty || secret.hasPrefix("#") { continue }
            keys.append(try key(secret, from: "\(fileVariable) '\(path)', line \(offset + 1)"))
        }
        guard !keys.isEmpty else { throw CLIError("\(fileVariable) '\(path)' holds no key (one key per line, the current one first)") }
        return keys
    }

    private static func key(_ secret: String, from origin: String) throws -> AuditKey {
        do {
            return try AuditKey(secret: secret)
        } catch {
            throw CLIError("\(origin): \(error)")
        }
    }
}
