/// Asking for approval from inside a step, durably: the first execution of the step keeps the
/// request in the store; every later execution (after the run parked, after a crash) finds the
/// same request, by its id, and its decision once there is one. Used by the `approval` node and
/// by the actions a policy sends to approval.
struct ApprovalGate: Sendable {
    let store: any Store

    /// What the request has come to: decided (its record), or still waiting for a decision.
    enum Outcome: Sendable {
        case decided(ApprovalRecord)
        case waiting(WaitCondition)
    }

    /// The request `id`, asked now (with `request()`) unless it was asked before; decided by its
    /// timeout when its deadline has passed.
    func outcome(of id: String, request: () throws -> ApprovalRequest) async throws -> Outcome {
        var record: ApprovalRecord
        if let existing = try await store.approval(id) {
            record = existing
        } else {
            record = try await store.requestApproval(try request())
        }
        if record.status == .pending, record.request.isExpired(at: EventDraft.now()) {
            record = try await expire(record)
        }
        guard record.status == .pending else { return .decided(record) }
        return .waiting(WaitCondition(deadline: record.request.deadline, approval: id))
    }

    /// Decides an expired request by its timeout rule; a person's decision that landed first wins.
    private func expire(_ record: ApprovalRecord) async throws -> ApprovalRecord {
        do {
            return try await store.decideApproval(record.request.id, .timeout(of: record.request, at: EventDraft.now()))
        } catch ApprovalError.alreadyDecided {
            return try await store.approval(record.request.id) ?? record
        }
    }
}

extension ApprovalRecord {
    /// What an `approval` node outputs once the request is decided.
    var nodeOutput: JSON {
        var members: [String: JSON] = [
            "id": .string(request.id), "approved": .bool(decision?.approved ?? false), "arguments": arguments,
            "timed_out": .bool(decision?.timedOut ?? false),
        ]
        if let by = decision?.by { members["by"] = .string(by) }
        if let comment = decision?.comment { members["comment"] = .string(comment) }
        return .object(members)
    }
}
