/// One rule of a ``Policy``: which subjects and actions it applies to, the conditions that must
/// hold, and what it decides.
///
/// ```swift
/// let rule = PolicyRule(
///     "refunds-over-100", description: "Large refunds need finance",
///     action: ActionMatch([.tool: [try Glob("refund_*")]]),
///     when: [try Expression("arguments.amount > 100")],
///     decision: .requireApproval(ApprovalRequirement(role: "finance", timeout: .seconds(3600)))
/// )
/// ```
///
/// The predicates in ``when`` are expressions (docs/expressions.md) evaluated against the scope
/// described in docs/governance.md: `arguments`, `subject`, `action`, `budget`, `input`, and in
/// rules of the ``PolicyStage/after`` stage `result`. All of them must hold.
public struct PolicyRule: Sendable {
    /// The rule's name, unique in its policy; receipts and findings name it.
    public var id: String
    /// What the rule is for.
    public var description: String?
    /// Rules of higher priority are considered first; equal priorities keep their order.
    public var priority: Int
    /// Before the action (the default) or after it, on its result.
    public var stage: PolicyStage
    /// The subjects it applies to.
    public var subject: SubjectMatch
    /// The actions it applies to.
    public var action: ActionMatch
    /// Conditions that must all hold (empty: none).
    public var when: [Expression]
    /// What it decides when it matches and its conditions hold.
    public var decision: PolicyDecision
    /// Where the rule was written, when it came from a file.
    public var location: PolicyLocation?

    /// A rule; it matches every subject and action unless told otherwise.
    public init(
        _ id: String, description: String? = nil, priority: Int = 0, stage: PolicyStage = .before, subject: SubjectMatch = .any,
        action: ActionMatch = .any, when: [Expression] = [], decision: PolicyDecision, location: PolicyLocation? = nil
    ) {
        self.id = id
        self.description = description
        self.priority = priority
        self.stage = stage
        self.subject = subject
        self.action = action
        self.when = when
        self.decision = decision
        self.location = location
    }
}

/// When a rule is checked: before the action happens, or after, on its result.
public enum PolicyStage: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Before the action: it may go ahead, be denied, wait for approval, have fields of its
    /// arguments redacted, or be rate-limited.
    case before
    /// After the action, with its result: the result may be passed on, withheld (deny) or have
    /// fields redacted.
    case after

    public var description: String { rawValue }
}

/// A place in a policy file.
public struct PolicyLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file as it was named to the loader.
    public var file: String
    /// 1-based.
    public var line: Int
    /// 1-based.
    public var column: Int

    /// A place in `file`.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(line):\(column)" }
}
