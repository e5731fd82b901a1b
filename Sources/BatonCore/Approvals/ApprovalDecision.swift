/// How a request was decided: by whom, with what comment, and with which arguments.
public struct ApprovalDecision: Sendable, Hashable, Codable {
    public var approved: Bool
    /// The user who decided (as the command line's `--as` or the API's authenticated user says);
    /// `nil` for a request decided by its timeout.
    public var by: String?
    public var comment: String?
    /// Arguments the approver changed (an approval with edits); `nil` keeps the requested ones.
    public var arguments: JSON?
    /// Milliseconds since 1970.
    public var decidedAt: Int64
    /// True when the deadline passed and the request's ``ApprovalRequest/onTimeout`` decided.
    public var timedOut: Bool

    public init(approved: Bool, by: String?, comment: String? = nil, arguments: JSON? = nil, decidedAt: Int64, timedOut: Bool = false) {
        self.approved = approved
        self.by = by
        self.comment = comment
        self.arguments = arguments
        self.decidedAt = decidedAt
        self.timedOut = timedOut
    }

    /// The decision a request's timeout makes.
    public static func timeout(of request: ApprovalRequest, at time: Int64) -> ApprovalDecision {
        ApprovalDecision(approved: request.onTimeout == .approve, by: nil, comment: "no decision before the deadline", decidedAt: time, timedOut: true)
    }
}

/// Where a request stands.
public enum ApprovalStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending
    case approved
    case rejected
    /// Its deadline passed before anyone decided; its timeout outcome applied.
    case expired
}

/// A request and, once decided, its decision: what the store keeps.
public struct ApprovalRecord: Sendable, Hashable, Codable {
    public var request: ApprovalRequest
    public var status: ApprovalStatus
    public var decision: ApprovalDecision?

    public init(request: ApprovalRequest, status: ApprovalStatus = .pending, decision: ApprovalDecision? = nil) {
        self.request = request
        self.status = status
        self.decision = decision
    }

    /// The status a decision leads to.
    public static func status(after decision: ApprovalDecision) -> ApprovalStatus {
        decision.timedOut ? .expired : decision.approved ? .approved : .rejected
    }

    /// The arguments the action runs with: the approver's edits, or the requested ones.
    public var arguments: JSON { decision?.arguments ?? request.arguments }

    /// The record as the command line's `--json` and events show it.
    public var json: JSON {
        var members: [String: JSON] = [
            "id": .string(request.id), "run": .string(request.run.rawValue), "step": .string(request.step), "node": .string(request.node),
            "action": .string(request.action), "reason": .string(request.reason), "risk": .string(request.risk.rawValue),
            "arguments": request.arguments, "role": .string(request.role), "requested_at": .int(Int(request.requestedAt)),
            "on_timeout": .string(request.onTimeout.rawValue), "status": .string(status.rawValue),
        ]
        if let deadline = request.deadline { members["deadline"] = .int(Int(deadline)) }
        if let decision { members["decision"] = decision.json }
        return .object(members)
    }
}

extension ApprovalDecision {
    /// The decision as events and the approval node's output show it.
    public var json: JSON {
        var members: [String: JSON] = ["approved": .bool(approved), "decided_at": .int(Int(decidedAt)), "timed_out": .bool(timedOut)]
        if let by { members["by"] = .string(by) }
        if let comment { members["comment"] = .string(comment) }
        if let arguments { members["arguments"] = arguments }
        return .object(members)
    }
}
