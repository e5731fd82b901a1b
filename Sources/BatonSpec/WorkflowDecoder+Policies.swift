import BatonCore
import Yams

/// A workflow's `policies:` section: policy files (paths relative to the workflow's file) and
/// policies written in place, merged in the order listed (see ``PolicyEngine``).
///
/// ```yaml
/// policies:
///   - policies/company.yaml
///   - policy: triage
///     rules:
///       - { id: no-deletes, action: { tool: "db.delete_*" }, decision: deny, reason: no deletes }
/// ```
extension WorkflowDecoder {
    func policies(_ node: YAMLNode, at path: String) -> [Policy] {
        guard let elements = context.list(node, at: path, expected: "a list of policy files and policies", nullIsEmpty: true) else { return [] }
        var policies: [Policy] = []
        var seen: [String: String] = [:]
        for element in elements {
            let policy: Policy?
            if element.node.scalarKind == .string {
                policy = policyFile(element.node, at: element.path)
            } else if let fields = context.mapping(
                element.node, at: element.path, expected: "a policy file's path, or a policy (policy, deny_by_default, rules)",
                allowed: GovernancePolicyDecoder.inlineKeys
            ) {
                policy = GovernancePolicyDecoder(context: context).policy(fields)
            } else {
                policy = nil
            }
            guard let policy else { continue }
            if let other = seen[policy.name] {
                context.error(element.path, node: element.node, "\(other) is also named '\(policy.name)'; policies need distinct names, because receipts and rate limits name them")
                continue
            }
            seen[policy.name] = element.path
            policies.append(policy)
        }
        return policies
    }

    /// The policy file that `node` names, or `nil` after reporting why not (its own diagnostics
    /// come after the workflow's).
    private func policyFile(_ node: YAMLNode, at path: String) -> Policy? {
        guard let reference = context.string(node, at: path, expected: "a policy file's path") else { return nil }
        let location = SourceFiles.absolute(reference, relativeTo: base)
        let display = SourceFiles.display(reference, besides: context.file)
        let (text, problems) = SourceFiles.read(location, display: display)
        guard let text else {
            context.error(path, node: node, "cannot read the policy file '\(reference)' (\(location)): \(problems.first?.message ?? "it cannot be read")")
            if problems.first?.line ?? 1 > 1 { context.include(problems) }
            return nil
        }
        let (policy, diagnostics) = GovernancePolicyDecoder.load(text: text, file: display)
        if policy == nil {
            context.error(path, node: node, "the policy file '\(reference)' has errors (reported under \(display))")
            context.include(diagnostics)
        }
        return policy
    }
}
