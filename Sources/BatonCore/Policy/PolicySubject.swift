/// Who is about to act: the agent (its name and role), the workflow it runs in, the environment
/// the run was started in, and the run's tags. Rules match on it with ``SubjectMatch``; the
/// predicates of a rule read it as `subject` (`subject.environment == 'production'`).
///
/// A field that does not apply is `nil` (a `tool` node calls a tool without an agent): a rule
/// that names a pattern for a field never matches a subject without it. A subject is immutable
/// and keeps its ``json``, so that one subject serves every decision of an agent cheaply.
///
/// ```swift
/// let subject = PolicySubject(agent: "refund_bot", role: "support", workflow: "refunds", environment: "production", tags: ["eu"])
/// ```
public struct PolicySubject: Sendable, Hashable {
    /// The acting agent's name.
    public let agent: String?
    /// The acting agent's role.
    public let role: String?
    /// The name of the workflow the run executes.
    public let workflow: String?
    /// Where the run happens, such as `production` or `staging`.
    public let environment: String?
    /// The run's tags.
    public let tags: [String]

    /// A subject; leave out the fields that do not apply.
    public init(agent: String? = nil, role: String? = nil, workflow: String? = nil, environment: String? = nil, tags: [String] = []) {
        self.agent = agent
        self.role = role
        self.workflow = workflow
        self.environment = environment
        self.tags = tags
        self.json = [
            "agent": agent.map(JSON.string) ?? .null, "role": role.map(JSON.string) ?? .null,
            "workflow": workflow.map(JSON.string) ?? .null, "environment": environment.map(JSON.string) ?? .null,
            "tags": .array(tags.map(JSON.string)),
        ]
    }

    /// The subject as predicates see it: `{agent, role, workflow, environment, tags}`, a missing
    /// field as `null`.
    public let json: JSON
}
