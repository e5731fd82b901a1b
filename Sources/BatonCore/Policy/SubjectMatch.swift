/// Which subjects a rule applies to: for each field of ``PolicySubject``, `nil` for any (even
/// none), or globs of which one must match. A rule that applies to `refund_*` agents in
/// production:
///
/// ```swift
/// let match = SubjectMatch(agent: [try Glob("refund_*")], environment: [try Glob("production")])
/// ```
public struct SubjectMatch: Sendable, Hashable {
    /// The agent's name.
    public var agent: [Glob]?
    /// The agent's role.
    public var role: [Glob]?
    /// The workflow's name.
    public var workflow: [Glob]?
    /// The run's environment.
    public var environment: [Glob]?
    /// The run has at least one tag that one of these globs matches.
    public var tags: [Glob]?

    /// Every subject.
    public static let any = SubjectMatch()

    /// A match on the fields given; the others match anything.
    public init(agent: [Glob]? = nil, role: [Glob]? = nil, workflow: [Glob]? = nil, environment: [Glob]? = nil, tags: [Glob]? = nil) {
        self.agent = agent
        self.role = role
        self.workflow = workflow
        self.environment = environment
        self.tags = tags
    }

    /// Whether `subject` is one this rule applies to.
    public func matches(_ subject: PolicySubject) -> Bool {
        if let agent, !agent.matchesAny(subject.agent) { return false }
        if let role, !role.matchesAny(subject.role) { return false }
        if let workflow, !workflow.matchesAny(subject.workflow) { return false }
        if let environment, !environment.matchesAny(subject.environment) { return false }
        if let tags, !subject.tags.contains(where: { tags.matchesAny($0) }) { return false }
        return true
    }

    /// Whether every subject `other` matches, this matches too (when that can be shown).
    func covers(_ other: SubjectMatch) -> Bool {
        [Glob].covers(agent, other.agent) && [Glob].covers(role, other.role) && [Glob].covers(workflow, other.workflow)
            && [Glob].covers(environment, other.environment) && [Glob].covers(tags, other.tags)
    }

    /// Whether some subject could match both. Tags never rule it out: a run can carry a tag for
    /// each.
    func mayOverlap(_ other: SubjectMatch) -> Bool {
        [Glob].mayOverlap(agent, other.agent) && [Glob].mayOverlap(role, other.role) && [Glob].mayOverlap(workflow, other.workflow)
            && [Glob].mayOverlap(environment, other.environment)
    }
}
