import BatonCore
import BatonSpec
import FuzzSupport

/// Feeds arbitrary bytes to the policy file loader (`PolicyLoader.load(yaml:file:)`, what a
/// workflow's `policies:` files and `baton policy test` read), and checks what must hold for any
/// input (docs/fuzzing.md):
///
/// - it never crashes or hangs;
/// - a refusal is a `SpecError` with at least one diagnostic, each naming the file and a line
///   and column of at least 1, on a line of the text (or just after it);
/// - a loaded policy has distinct rule ids, each rule located in the file on one of its lines,
///   and loading the text again gives the same rules;
/// - its findings name rules of the policy, the later one after the earlier in evaluation order;
/// - an engine over it decides a set of actions (every kind, hostile arguments, and after each
///   one its result) without trapping; every receipt names a rule of the policy or none, has a
///   reason, a denial for a failed condition names the error, only rules of the matching stage
///   decide, and the receipt's JSON survives the canonical round trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicyLoader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // The loader takes text; invalid UTF-8 becomes U+FFFD, as `String(decoding:)` does.
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    let loaded: LoadedPolicy
    do {
        loaded = try PolicyLoader.load(yaml: text, file: fileName)
    } catch {
        checkDiagnostics(error, "PolicyLoader.load(yaml:)", text: text, file: fileName)
        return 0
    }
    checkPolicy(loaded, text: text)
    checkDecisions(loaded.policy)
    return 0
}

@_cdecl("PolicyFuzz_main")
public func policyFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv, fuzzPolicyLoader)
}

let fileName = "fuzz-policy.yaml"

func checkPolicy(_ loaded: LoadedPolicy, text: String) {
    let rules = loaded.policy.rules
    let ids = rules.map(\.id)
    invariant(Set(ids).count == ids.count, "a loaded policy has two rules with one id: \(ids)")
    let lastLine = lineCount(text)
    for rule in rules {
        guard let location = rule.location else {
            invariant(false, "rule '\(rule.id)' has no location")
            return
        }
        invariant(location.file == fileName && location.line >= 1 && location.column >= 1 && location.line <= lastLine, "rule '\(rule.id)' is at \(location)")
    }
    do {
        let again = try PolicyLoader.load(yaml: text, file: fileName)
        invariant(again.policy.rules.map(\.id) == ids, "loading the text again gives other rules")
    } catch {
        invariant(false, "a loaded policy does not load again:\n\(error)")
    }
    let order = PolicyEngine([loaded.policy]).evaluationOrder
    for finding in loaded.findings {
        guard let later = order[finding.rule.rule], let earlier = order[finding.other.rule] else {
            invariant(false, "a finding names a rule the policy does not have: \(finding)")
            return
        }
        invariant(earlier < later, "a finding's earlier rule comes after the rule it affects: \(finding)")
        invariant(!finding.message.isEmpty, "a finding without a message")
    }
}

/// Actions of every kind, with arguments meant to trip conditions: missing members, wrong types,
/// long strings, deep nesting.
let actions: [PolicyAction] = {
    let hostile: JSON = [
        "amount": "a lot", "card": ["number": "4111 1111 1111 1111"], "items": [[1, [2, [3, [4]]]], "x", .null],
        "text": .string(String(repeating: "ab", count: 2_000)), "n": .int(.max), "d": -0.0,
    ]
    let budget = BudgetShare(tokens: 0.5, cost: 0.95, steps: 0.1, toolCalls: 1)
    return [
        PolicyAction(.toolCall(name: "payments.refund_card", risk: .high, effect: .sideEffecting), arguments: ["amount": 250, "currency": "EUR"]),
        PolicyAction(.toolCall(name: "search", risk: .low, effect: .readOnly), arguments: hostile, context: PolicyContext(budget: budget, input: hostile)),
        PolicyAction(.toolCall(name: "db.delete_user", risk: .medium, effect: .idempotent), arguments: [:]),
        PolicyAction(.modelCall(model: "openai:gpt-4.1"), arguments: ["estimated_tokens": 1200], context: PolicyContext(budget: budget)),
        PolicyAction(.memoryRead(namespace: "customers/eu"), arguments: .null),
        PolicyAction(.memoryWrite(namespace: "audit"), arguments: hostile),
        PolicyAction(.handoff(to: "admin_bot")),
        PolicyAction(.outboundHTTP(host: "API.Example.com"), arguments: ["method": "GET", "path": "/"]),
    ]
}()

let subjects = [
    PolicySubject(agent: "refund_bot", role: "support", workflow: "refunds", environment: "production", tags: ["eu", "pci"]),
    PolicySubject(),
]

func checkDecisions(_ policy: Policy) {
    let clock = ContinuousClock.now
    let engine = PolicyEngine([policy], rateLimiter: RateLimiter(now: { clock }))
    let rules = Dictionary(policy.rules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    for subject in subjects {
        for action in actions {
            check(engine.decide(subject, action), .before, rules: rules, policy: policy)
            check(engine.decide(subject, action, result: action.arguments), .after, rules: rules, policy: policy)
        }
    }
}

func check(_ receipt: PolicyReceipt, _ stage: PolicyStage, rules: [String: PolicyRule], policy: Policy) {
    invariant(receipt.stage == stage, "a receipt of the \(stage) stage says \(receipt.stage)")
    invariant(!receipt.reason.isEmpty, "a receipt without a reason")
    if let id = receipt.rule {
        guard let rule = rules[id] else {
            invariant(false, "a receipt names rule '\(id)', which the policy does not have")
            return
        }
        invariant(rule.stage == stage, "rule '\(id)' of the \(rule.stage) stage decided at the \(stage) stage")
        invariant(receipt.policy == policy.name, "a receipt names policy \(receipt.policy ?? "none"), not \(policy.name)")
    } else {
        let denied = stage == .before && policy.denyByDefault
        invariant(receipt.verdict == (denied ? .deny : .allow), "the default decided \(receipt.verdict.name)")
    }
    if let failure = receipt.failure {
        invariant(receipt.verdict == .deny && receipt.reason.contains(failure), "a failed condition did not deny, or its reason hides the error")
    }
    checkCanonicalRoundTrip(receipt.json, "PolicyReceipt.json")
}

extension PolicyEngine {
    /// Each rule id's position in evaluation order, from the engine's findings' point of view:
    /// priority first, then order.
    var evaluationOrder: [String: Int] {
        let ordered = policies.flatMap(\.rules).enumerated().sorted { a, b in
            a.element.priority != b.element.priority ? a.element.priority > b.element.priority : a.offset < b.offset
        }
        return Dictionary(ordered.enumerated().map { ($0.element.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }
}
