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
/// rule names plain names, so a decision looks only at rules that could apply; each of those is
/// first checked against a probe of plain bits (the fixed start of its glob, the risks and effects
/// it admits), which rejects most of them without touching the rule; globs are compiled and
/// conditions parsed beforehand; the scope conditions read is built once per decision, only when
/// a rule that matched so far has a condition; a receipt's reason is written only when read.
/// Hundreds of rules cost microseconds.
///
/// `rate_limit` rules count in ``rateLimiter``: pass one limiter to every engine that should
/// count together.
public struct PolicyEngine: Sendable {
    /// The policies, in the order given.
    public let policies: [Policy]
    /// Where `rate_limit` rules count.
    public let rateLimiter: RateLimiter

    /// Every rule, in evaluation order.
    let entries: [Entry]
    /// The rules that can apply, by stage and kind (see PolicyEngine+Index.swift).
    private let index: Index
    /// The names some condition reads: the scope holds only those.
    private let roots: PolicyScope.Roots
    /// The first deny-by-default policy, whose default decides.
    private let denyingDefault: String?

    /// An engine over `policies`, merged as described above, counting rate limits in `rateLimiter`.
    public init(_ policies: [Policy], rateLimiter: RateLimiter = RateLimiter()) {
        self.policies = policies
        self.rateLimiter = rateLimiter
        let written = policies.flatMap { policy in policy.rules.map { Entry(policy: policy.name, rule: $0) } }
        let entries = written.enumerated().sorted { a, b in
            a.element.rule.priority != b.element.rule.priority ? a.element.rule.priority > b.element.rule.priority : a.offset < b.offset
        }.map(\.element)
        self.entries = entries
        self.index = Index(entries)
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
        let slot = Index.slot(stage, action.kind)
        let named = index.named[slot][action.name] ?? []
        let general = index.general[slot]
        let probe = Probe.Key(action)
        var scope: JSON?
        var (nextNamed, nextGeneral) = (0, 0)
        while nextNamed < named.count || nextGeneral < general.count {
            // Merge the two lists, both in evaluation order.
            let candidate: Probe
            if nextGeneral == general.count || (nextNamed < named.count && named[nextNamed].position < general[nextGeneral].position) {
                candidate = named[nextNamed]
                nextNamed += 1
            } else {
                candidate = general[nextGeneral]
                nextGeneral += 1
            }
            guard candidate.admits(probe) else { continue }
            let entry = entries[Int(candidate.position)]
            guard entry.matches(subject, action) else { continue }
            if !entry.conditions.isEmpty {
                let context = scope ?? PolicyScope.build(roots, subject: subject, action: action, result: result)
                scope = context
                do {
                    guard try Self.holds(entry.conditions, in: context) else { continue }
                } catch {
                    return receipt(stage, .deny, .failed(error), entry, subject, action, started: started)
                }
            }
            return decision(of: entry, stage, subject, action, started: started)
        }
        if stage == .before, let denying = denyingDefault {
            return receipt(stage, .deny, .deniedByDefault, policy: denying, rule: nil, subject, action, started: started)
        }
        return receipt(stage, .allow, stage == .before ? .allowedByDefault : .resultUnchecked, policy: nil, rule: nil, subject, action, started: started)
    }

    /// Whether every condition is true in `scope`.
    private static func holds(_ conditions: [Expression], in scope: JSON) throws(ExpressionError) -> Bool {
        for index in conditions.indices where !(try conditions[index].isTrue(in: scope)) { return false }
        return true
    }

    /// The receipt of the rule that decided.
    private func decision(of entry: Entry, _ stage: PolicyStage, _ subject: PolicySubject, _ action: PolicyAction, started: ContinuousClock.Instant) -> PolicyReceipt {
        switch entry.rule.decision {
        case .allow:
            return receipt(stage, .allow, .allowed, entry, subject, action, started: started)
        case let .deny(reason):
            return receipt(stage, .deny, .denied(reason), entry, subject, action, started: started)
        case let .requireApproval(approval):
            return receipt(stage, .requireApproval(approval), .approval(approval), entry, subject, action, started: started)
        case let .redact(paths):
            return receipt(stage, .redact(paths), .redacted(paths), entry, subject, action, started: started)
        case let .rateLimit(limit):
            let key = limit.key(rule: entry.counterName, subject: subject, action: action)
            switch rateLimiter.admit(key, limit: limit.limit, window: limit.window) {
            case .admitted:
                return receipt(stage, .allow, .withinRate(limit), entry, subject, action, started: started)
            case let .refused(retryAfter):
                return receipt(stage, .deny, .rateReached(limit, retryAfter: retryAfter), entry, subject, action, started: started)
            }
        }
    }

    private func receipt(
        _ stage: PolicyStage, _ verdict: PolicyVerdict, _ explanation: PolicyReceipt.Explanation, _ entry: Entry, _ subject: PolicySubject,
        _ action: PolicyAction, started: ContinuousClock.Instant
    ) -> PolicyReceipt {
        receipt(stage, verdict, explanation, policy: entry.policy, rule: entry.rule, subject, action, started: started)
    }

    private func receipt(
        _ stage: PolicyStage, _ verdict: PolicyVerdict, _ explanation: PolicyReceipt.Explanation, policy: String?, rule: PolicyRule?,
        _ subject: PolicySubject, _ action: PolicyAction, started: ContinuousClock.Instant
    ) -> PolicyReceipt {
        PolicyReceipt(
            stage: stage, verdict: verdict, explanation: explanation, policy: policy, rule: rule?.id, location: rule?.location,
            subject: subject, actionKind: action.kind, actionName: action.name, evaluationTime: ContinuousClock.now - started
        )
    }
}
