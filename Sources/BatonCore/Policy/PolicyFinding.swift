/// Something about the order of rules that an author should know: a rule that can never decide,
/// or two rules that decide the same actions differently. Findings are warnings; a policy with
/// findings still loads and runs.
public struct PolicyFinding: Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the order.
    public enum Kind: String, Sendable, Hashable {
        /// ``PolicyFinding/rule`` never decides: ``PolicyFinding/other`` comes first, has no
        /// condition, and matches every action it matches.
        case shadowed
        /// ``PolicyFinding/other`` comes first, has no condition, and matches some of the actions
        /// ``PolicyFinding/rule`` matches, with another decision: for those, `other` decides.
        case overlap
    }

    /// A rule, by policy and id, and where it was written.
    public struct RuleReference: Sendable, Hashable, CustomStringConvertible {
        /// The policy the rule belongs to.
        public var policy: String
        /// The rule's id.
        public var rule: String
        /// Where the rule was written, when it came from a file.
        public var location: PolicyLocation?

        public var description: String {
            "rule '\(rule)' of policy '\(policy)'" + (location.map { " (\($0))" } ?? "")
        }
    }

    /// Shadowed or overlapping.
    public var kind: Kind
    /// The later rule, the one affected.
    public var rule: RuleReference
    /// The earlier rule, which decides instead.
    public var other: RuleReference
    /// The finding in a sentence, with what to do.
    public var message: String

    public var description: String { message }
}

extension PolicyEngine {
    /// The rules, in evaluation order, that can never decide (``PolicyFinding/Kind/shadowed``) and
    /// that decide some actions differently from an earlier rule (``PolicyFinding/Kind/overlap``).
    ///
    /// Only an earlier rule without conditions counts: one with `when:` decides only when its
    /// conditions hold, which is how rules are layered on purpose (deny above 1000, ask above
    /// 100, allow the rest). Glob relations are judged conservatively, so a rule is reported
    /// shadowed only when it surely is.
    public func findings() -> [PolicyFinding] {
        var findings: [PolicyFinding] = []
        for (position, later) in entries.enumerated() {
            for earlier in entries[..<position] where earlier.rule.when.isEmpty && earlier.rule.stage == later.rule.stage {
                let (first, second) = (Self.reference(earlier), Self.reference(later))
                if earlier.rule.subject.covers(later.rule.subject) && earlier.rule.action.covers(later.rule.action) {
                    findings.append(PolicyFinding(
                        kind: .shadowed, rule: second, other: first,
                        message: "\(second) can never decide: \(first) comes before it, has no when:, and matches every action it matches; remove it, or give it a higher priority"
                    ))
                    break
                }
                if earlier.rule.decision != later.rule.decision && earlier.rule.subject.mayOverlap(later.rule.subject)
                    && earlier.rule.action.mayOverlap(later.rule.action)
                {
                    findings.append(PolicyFinding(
                        kind: .overlap, rule: second, other: first,
                        message: "\(second) (\(later.rule.decision.name)) overlaps \(first) (\(earlier.rule.decision.name)): for the actions both match, the earlier rule decides; narrow one of them, or order them on purpose"
                    ))
                }
            }
        }
        return findings
    }

    private static func reference(_ entry: Entry) -> PolicyFinding.RuleReference {
        PolicyFinding.RuleReference(policy: entry.policy, rule: entry.rule.id, location: entry.rule.location)
    }
}
