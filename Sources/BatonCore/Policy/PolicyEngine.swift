/// Evaluates policies: one or several, merged into one order of rules. It decides about an
/// action before it happens (``decide(_:_:)``) and about its result after (``decide(_:_:result:)``),
/// and every answer is a ``PolicyReceipt`` naming what decided.
///
/// ```swift
/// let engine = PolicyEngine([workflowPolicy, companyPolicy])
/// let receipt = engine.decide(subject, PolicyAction(.toolCall(name: "refund", risk: .high, effect: .sideEffecting), arguments: args))
/// switch receipt.verdict {
/// case .allow, .redact: try await call(receipt.applying(to: args))
/// case .deny: refuse(receipt.reason)
/// case let .requireApproval(approval): park(approval)
/// }
/// ```
///
/// **Order.** Every rule of every policy is considered by priority (higher first); rules of
/// equal priority keep their order: the policies in the order given, each policy's rules in the
/// order written. The first rule that matches decides. When none does, before an action: denied
/// if any policy is deny-by-default (the receipt names the first such policy), else allowed;
/// after an action: the result is passed on.
///
/// **Fail closed.** A rule whose condition cannot be evaluated (a type error, a regular
/// expression over a string too long for its budget) denies the action, with a reason that names
/// the rule and the error. Nothing in evaluation throws or traps.
///
/// **Speed.** Rules are indexed at construction by stage and kind of action, and by name where a
/// rule names plain names, so a decision looks only at rules that could apply; globs are compiled
/// and conditions parsed beforehand; the scope conditions read is built once per decision, only
/// when a rule that matched so far has a condition. Hundreds of rules cost microseconds.
///
/// `rate_limit` rules count in ``rateLimiter``: pass one limiter to every engine that should
/// count together.
public struct PolicyEngine: Sendable {
    /// The policies, in the order given.
    public let policies: [Policy]
    public let rateLimiter: RateLimiter

    /// Every rule, in evaluation order.
    let entries: [Entry]
    /// The positions in ``entries`` of the rules that can apply, by stage and kind.
    private let indexes: [StageIndex]
    /// The names some condition reads: the scope holds only those.
    private let roots: PolicyScope.Roots
    /// The first deny-by-default policy, whose default decides.
    private let denyingDefault: String?

    /// A rule in its place.
    struct Entry: Sendable {
        let policy: String
        let rule: PolicyRule
        /// The key prefix of its rate-limit counts.
        var counterName: String { "\(policy)/\(rule.id)" }
    }

    /// For one stage, by ``PolicyAction/Kind/number``: the rules that name plain names, by name,
    /// and the others; each list in evaluation order.
    private struct StageIndex: Sendable {
        var named = [[String: [Int]]](repeating: [:], count: PolicyAction.Kind.allCases.count)
        var general = [[Int]](repeating: [], count: PolicyAction.Kind.allCases.count)
    }

    /// An engine over `policies`, merged as described above, counting rate limits in `rateLimiter`.
    public init(_ policies: [Policy], rateLimiter: RateLimiter = RateLimiter()) {
        self.policies = policies
        self.rateLimiter = rateLimiter
        let written = policies.flatMap { policy in policy.rules.map { Entry(policy: policy.name, rule: $0) } }
        let entries = written.enumerated().sorted { a, b in
            a.element.rule.priority != b.element.rule.priority ? a.element.rule.priority > b.element.rule.priority : a.offset < b.offset
        }.map(\.element)
        var indexes = [StageIndex](repeating: StageIndex(), count: PolicyStage.allCases.count)
        for (position, entry) in entries.enumerated() {
            let stage = entry.rule.stage == .before ? 0 : 1
            for kind in entry.rule.action.kinds {
                guard let globs = entry.rule.action.table[kind.number] else { continue }
                let names = globs.compactMap(\.literal)
                if names.count == globs.count {
                    for name in Set(names) { indexes[stage].named[kind.number][name, default: []].append(position) }
                } else {
                    indexes[stage].general[kind.number].append(position)
                }
            }
        }
        self.entries = entries
        self.indexes = indexes
        self.roots = PolicyScope.Roots(entries.flatMap(\.rule.when))
        self.denyingDefault = policies.first(where: \.denyByDefault)?.name
    }

    /// Decides about `action` before it happens.
    public func decide(_ subject: PolicySubject, _ action: PolicyAction) -> PolicyReceipt {
        evaluate(.before, subject, action, result: nil)
    }

    /// Decides about the `result` of `action`, after it happened: pass it on, withhold it, or
    /// redact fields of it.
    public func decide(_ subject: PolicySubject, _ action: PolicyAction, result: JSON) -> PolicyReceipt {
        evaluate(.after, subject, action, result: result)
    }

    private func evaluate(_ stage: PolicyStage, _ subject: PolicySubject, _ action: PolicyAction, result: JSON?) -> PolicyReceipt {
        let started = ContinuousClock.now
        let index = indexes[stage == .before ? 0 : 1]
        let kind = action.kind.number
        let named = index.named[kind][action.name] ?? []
        let general = index.general[kind]
        var scope: JSON?
        var (nextNamed, nextGeneral) = (0, 0)
        while nextNamed < named.count || nextGeneral < general.count {
            // Merge the two lists, both in evaluation order.
            let position: Int
            if nextGeneral == general.count || (nextNamed < named.count && named[nextNamed] < general[nextGeneral]) {
                position = named[nextNamed]
                nextNamed += 1
            } else {
                position = general[nextGeneral]
                nextGeneral += 1
            }
            let rule = entries[position].rule
            guard rule.action.table[kind]?.matchesAny(action.name) == true, rule.action.matchesTool(action.operation),
                rule.subject.matches(subject)
            else { continue }
            if !rule.when.isEmpty {
                let context = scope ?? PolicyScope.build(roots, subject: subject, action: action, result: result)
                scope = context
                do {
                    guard try Self.holds(rule.when, in: context) else { continue }
                } catch {
                    let entry = entries[position]
                    let reason = "\(Self.name(of: entry)) could not be evaluated, so the \(action.phrase) is denied (policies fail closed): \(error)"
                    return receipt(stage, .deny, reason, entry, subject, action, started: started, failure: error.description)
                }
            }
            return decision(of: entries[position], stage, subject, action, started: started)
        }
        return defaultReceipt(stage, subject, action, started: started)
    }

    /// Whether every condition is true in `scope`.
    private static func holds(_ conditions: [Expression], in scope: JSON) throws(ExpressionError) -> Bool {
        for condition in conditions where !(try condition.isTrue(in: scope)) { return false }
        return true
    }

    /// The receipt of the rule that decided.
    private func decision(of entry: Entry, _ stage: PolicyStage, _ subject: PolicySubject, _ action: PolicyAction, started: ContinuousClock.Instant) -> PolicyReceipt {
        let name = Self.name(of: entry)
        switch entry.rule.decision {
        case .allow:
            return receipt(stage, .allow, "\(name) allows the \(action.phrase)", entry, subject, action, started: started)
        case let .deny(reason):
            return receipt(stage, .deny, reason.isEmpty ? "\(name) denies the \(action.phrase)" : reason, entry, subject, action, started: started)
        case let .requireApproval(approval):
            let reason = approval.reason ?? "\(name) requires approval of the \(action.phrase) by role '\(approval.role)'"
            return receipt(stage, .requireApproval(approval), reason, entry, subject, action, started: started)
        case let .redact(paths):
            let fields = paths.map(\.path).joined(separator: ", ")
            return receipt(stage, .redact(paths), "\(name) redacts \(fields) of the \(action.phrase)", entry, subject, action, started: started)
        case let .rateLimit(limit):
            let key = limit.key(rule: entry.counterName, subject: subject, action: action)
            let rate = "at most \(limit.limit) per \(Self.describe(limit.window))\(limit.per.isEmpty ? "" : " per \(limit.per.map(\.rawValue).joined(separator: " and "))")"
            switch rateLimiter.admit(key, limit: limit.limit, window: limit.window) {
            case .admitted:
                return receipt(stage, .allow, "\(name) allows the \(action.phrase) (\(rate))", entry, subject, action, started: started)
            case let .refused(retryAfter):
                let reason = "\(name) limits \(action.kind.rawValue) actions to \(rate), and the limit is reached: retry in \(Self.describe(retryAfter))"
                return receipt(stage, .deny, reason, entry, subject, action, started: started, retryAfter: retryAfter)
            }
        }
    }

    /// The receipt when no rule decided.
    private func defaultReceipt(_ stage: PolicyStage, _ subject: PolicySubject, _ action: PolicyAction, started: ContinuousClock.Instant) -> PolicyReceipt {
        if stage == .before, let denying = denyingDefault {
            let reason = "no rule allows the \(action.phrase), and policy '\(denying)' denies by default (deny_by_default: true); add a rule that allows it"
            return PolicyReceipt(
                stage: stage, verdict: .deny, reason: reason, policy: denying, rule: nil, location: nil, retryAfter: nil, failure: nil,
                subject: subject, actionKind: action.kind, actionName: action.name, evaluationTime: ContinuousClock.now - started
            )
        }
        let reason = stage == .before ? "no rule decides the \(action.phrase), and no policy denies by default" : "no rule checks the result of the \(action.phrase)"
        return PolicyReceipt(
            stage: stage, verdict: .allow, reason: reason, policy: nil, rule: nil, location: nil, retryAfter: nil, failure: nil,
            subject: subject, actionKind: action.kind, actionName: action.name, evaluationTime: ContinuousClock.now - started
        )
    }

    private func receipt(
        _ stage: PolicyStage, _ verdict: PolicyVerdict, _ reason: String, _ entry: Entry, _ subject: PolicySubject, _ action: PolicyAction,
        started: ContinuousClock.Instant, failure: String? = nil, retryAfter: Duration? = nil
    ) -> PolicyReceipt {
        PolicyReceipt(
            stage: stage, verdict: verdict, reason: reason, policy: entry.policy, rule: entry.rule.id, location: entry.rule.location,
            retryAfter: retryAfter, failure: failure, subject: subject, actionKind: action.kind, actionName: action.name,
            evaluationTime: ContinuousClock.now - started
        )
    }

    private static func name(of entry: Entry) -> String { "rule '\(entry.rule.id)' of policy '\(entry.policy)'" }

    /// `250 ms`, `12.5 s`, `5 min`, `1 h`, `1.5 h`: a duration in a reason.
    static func describe(_ duration: Duration) -> String {
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
