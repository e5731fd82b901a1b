/// Why a decision on an approval request was refused, saying what to do instead.
public enum ApprovalError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknown(String)
    /// Someone decided it already.
    case alreadyDecided(String, status: ApprovalStatus, by: String?)
    /// Its deadline passed; the run applies the request's timeout outcome when it resumes.
    case expired(String, deadline: Int64, outcome: ApprovalTimeoutOutcome)
    /// The user does not hold the role the request names.
    case notPermitted(String, user: String, role: String, holders: [String])
    /// Edited arguments that are not a JSON object.
    case invalidEdit(String, reason: String)

    public var description: String {
        switch self {
        case let .unknown(id):
            return "no approval request '\(id)'; list the pending ones with `baton approvals list`"
        case let .alreadyDecided(id, status, by):
            return "approval request '\(id)' was already decided (\(status.rawValue)\(by.map { " by \($0)" } ?? "")); a decision cannot be changed"
        case let .expired(id, _, outcome):
            return "approval request '\(id)' expired before it was decided; the run \(outcome == .approve ? "approves" : "rejects") it by its timeout rule when it resumes (`baton resume`)"
        case let .notPermitted(id, user, role, holders):
            let who = holders.isEmpty ? "no one holds it in the roles configuration" : "it is held by \(holders.joined(separator: ", "))"
            return "\(user) may not decide approval request '\(id)': it needs the role '\(role)', and \(who)"
        case let .invalidEdit(id, reason):
            return "the edited arguments for approval request '\(id)' were refused: \(reason)"
        }
    }
}
