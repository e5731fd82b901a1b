/// The reason of a receipt, in a sentence, from what made the decision.
extension PolicyReceipt {
    /// What made a decision.
    enum Explanation: Sendable {
        case allowed
        /// The rule's reason, or `""` for none.
        case denied(String)
        case approval(ApprovalRequirement)
        case redacted([RedactionPath])
        case withinRate(RateLimit)
        case rateReached(RateLimit, retryAfter: Duration)
        /// A condition of the rule could not be evaluated, so the action is denied.
        case failed(ExpressionError)
        case deniedByDefault
        case allowedByDefault
        case resultUnchecked
    }

    /// Why, in a sentence: the rule's reason, the default's, or the evaluation error's.
    public var reason: String {
        let name = "rule '\(rule ?? "")' of policy '\(policy ?? "")'"
        switch explanation {
        case .allowed: return "\(name) allows the \(action)"
        case let .denied(reason): return reason.isEmpty ? "\(name) denies the \(action)" : reason
        case let .approval(approval): return approval.reason ?? "\(name) requires approval of the \(action) by role '\(approval.role)'"
        case let .redacted(paths): return "\(name) redacts \(paths.map(\.path).joined(separator: ", ")) of the \(action)"
        case let .withinRate(limit): return "\(name) allows the \(action) (\(Self.rate(limit)))"
        case let .rateReached(limit, retryAfter):
            return "\(name) limits \(actionKind.rawValue) actions to \(Self.rate(limit)), and the limit is reached: retry in \(Self.describe(retryAfter))"
        case let .failed(error): return "\(name) could not be evaluated, so the \(action) is denied (policies fail closed): \(error)"
        case .deniedByDefault:
            return "no rule allows the \(action), and policy '\(policy ?? "")' denies by default (deny_by_default: true); add a rule that allows it"
        case .allowedByDefault: return "no rule decides the \(action), and no policy denies by default"
        case .resultUnchecked: return "no rule checks the result of the \(action)"
        }
    }

    /// For a denial by a rate limit: how long until the action would be admitted.
    public var retryAfter: Duration? {
        if case let .rateReached(_, retryAfter) = explanation { return retryAfter }
        return nil
    }

    /// For a denial because a rule could not be evaluated (fail closed): what went wrong.
    public var failure: String? {
        if case let .failed(error) = explanation { return error.description }
        return nil
    }

    /// `tool call 'refund'`, `memory write to 'customers'`: the action in a reason.
    private var action: String {
        switch actionKind {
        case .model: return "model call '\(actionName)'"
        case .tool: return "tool call '\(actionName)'"
        case .memoryRead: return "memory read of '\(actionName)'"
        case .memoryWrite: return "memory write to '\(actionName)'"
        case .handoff: return "hand-off to '\(actionName)'"
        case .http: return "HTTP request to '\(actionName)'"
        }
    }

    /// `at most 10 per 1 h per agent`.
    private static func rate(_ limit: RateLimit) -> String {
        "at most \(limit.limit) per \(describe(limit.window))" + (limit.per.isEmpty ? "" : " per \(limit.per.map(\.rawValue).joined(separator: " and "))")
    }

    /// `250 ms`, `12.5 s`, `5 min`, `1 h`, `1.5 h`: a duration in a reason.
    private static func describe(_ duration: Duration) -> String {
        let seconds = duration.seconds
        func number(_ value: Double) -> String {
            let rounded = (value * 10).rounded() / 10
            return rounded == rounded.rounded() ? "\(Int(rounded))" : "\(rounded)"
        }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded(.up))) ms" }
        if seconds < 60 { return "\(number(seconds)) s" }
        if seconds < 3600 { return "\(number(seconds / 60)) min" }
        return "\(number(seconds / 3600)) h"
    }
}
