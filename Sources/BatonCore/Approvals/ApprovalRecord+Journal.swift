/// What every ``Store`` checks and records when it keeps approval requests and decisions.
extension ApprovalRecord {
    /// Checks that `decision` may decide this record (it is pending; a person decides before the
    /// deadline and a timeout at or after it), as every ``Store`` does before keeping one.
    public func admit(_ decision: ApprovalDecision) throws(ApprovalError) {
        guard status == .pending else { throw .alreadyDecided(request.id, status: status, by: self.decision?.by) }
        if let deadline = request.deadline, decision.timedOut != (decision.decidedAt >= deadline) {
            throw .expired(request.id, deadline: deadline, outcome: request.onTimeout)
        }
        if decision.timedOut, request.deadline == nil {
            throw .expired(request.id, deadline: 0, outcome: request.onTimeout)
        }
    }

    /// The event that records `decision` in the run's journal.
    public func decisionEvent(_ decision: ApprovalDecision) -> EventDraft {
        var data = decision.json.objectValue ?? [:]
        data["id"] = .string(request.id)
        data["role"] = .string(request.role)
        data["step"] = .string(request.step)
        return EventDraft(decision.timedOut ? .approvalExpired : .approvalDecided, .object(data), time: decision.decidedAt)
    }

    /// The event that records the request in the run's journal.
    public var requestEvent: EventDraft {
        var data = json.objectValue ?? [:]
        data["status"] = nil
        return EventDraft(.approvalRequested, .object(data), time: request.requestedAt)
    }
}
