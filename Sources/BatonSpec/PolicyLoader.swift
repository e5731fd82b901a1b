import BatonCore

/// Loads governance policy files: the policies a workflow's `policies:` section names, or one on
/// its own (for `baton policy test FILE`).
///
/// ```swift
/// let loaded = try PolicyLoader.load(file: "policies/payments.yaml")
/// for finding in loaded.findings { print("warning: \(finding)") }
/// let engine = PolicyEngine([loaded.policy])
/// ```
///
/// A policy file is a YAML document with `baton: 1`, `policy: NAME`, optionally `description`
/// and `deny_by_default`, and `rules` (docs/governance.md). Every problem is reported at once,
/// as a ``SpecError`` whose diagnostics name the file, line, column and key path.
public enum PolicyLoader {
    /// Reads and loads the policy file at `path`.
    public static func load(file path: String) throws(SpecError) -> LoadedPolicy {
        let location = SourceFiles.absolute(path)
        let (text, problems) = SourceFiles.read(location, display: path)
        guard let text else { throw SpecError(diagnostics: problems) }
        return try load(yaml: text, file: path, location: location)
    }

    /// Loads a policy from YAML text; `file` names it in diagnostics and rule locations.
    public static func load(yaml text: String, file: String = "<input>") throws(SpecError) -> LoadedPolicy {
        try load(yaml: text, file: file, location: nil)
    }

    private static func load(yaml text: String, file: String, location: String?) throws(SpecError) -> LoadedPolicy {
        let (policy, diagnostics) = GovernancePolicyDecoder.load(text: text, file: file)
        guard let policy else { throw SpecError(diagnostics: diagnostics) }
        return LoadedPolicy(policy: policy, findings: PolicyEngine([policy]).findings(), source: text, location: location)
    }
}

/// A policy file, loaded.
public struct LoadedPolicy: Sendable {
    /// The policy, its rules checked and located in the file.
    public var policy: Policy
    /// Rules that never decide, and rules that decide shared actions differently (warnings).
    public var findings: [PolicyFinding]
    /// The text it was loaded from.
    public var source: String
    /// Its absolute path, when it was read from a file.
    public var location: String?
}
