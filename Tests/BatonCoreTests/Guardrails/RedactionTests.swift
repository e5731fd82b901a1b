import BatonCore
import Testing

/// Redaction in text and inside JSON, and the masked excerpts findings carry.
@Suite struct RedactionTests {
    static let pii = DetectorGuardrail("no_pii", detecting: GuardrailDetector.pii, action: .redact)

    @Test func redactionReplacesWhatWasFoundInText() async {
        let text = "Mail ada@example.com or call 555-123-4567 (card 4111 1111 1111 1111)."
        let verdict = await Self.pii.check(.text(text), stage: .output)
        #expect(verdict.decision == .redact)
        #expect(verdict.redacted(.text(text)) == .text(
            "Mail [REDACTED:email] or call [REDACTED:phone] (card [REDACTED:payment_card])."
        ))
    }

    @Test func redactionReachesStringsAnywhereInJSONAndLeavesKeys() async {
        let content: JSON = [
            "user": ["emails": ["ada@example.com", "none"], "note": "card 4111 1111 1111 1111, thanks"],
            "ada@example.com": "the key stays",
            "a/b": ["~x": "call 555-123-4567"],
            "number": 4_111_111_111_111_111,
            "count": 3, "flag": true, "nothing": nil, "ratio": 0.5,
        ]
        let verdict = await Self.pii.check(.json(content), stage: .toolResult)
        #expect(verdict.findings.map(\.path).sorted() == ["/a~1b/~0x", "/number", "/user/emails/0", "/user/note"])
        let expected: JSON = [
            "user": ["emails": ["[REDACTED:email]", "none"], "note": "card [REDACTED:payment_card], thanks"],
            "ada@example.com": "the key stays",
            "a/b": ["~x": "call [REDACTED:phone]"],
            "number": "[REDACTED:payment_card]",
            "count": 3, "flag": true, "nothing": nil, "ratio": 0.5,
        ]
        #expect(verdict.redacted(.json(content)) == .json(expected))
    }

    @Test func aJSONStringAtTheRootIsRedactedToo() async {
        let verdict = await Self.pii.check(.json("ada@example.com"), stage: .output)
        #expect(verdict.findings.first?.path == "")
        #expect(verdict.redacted(.json("ada@example.com")) == .json("[REDACTED:email]"))
    }

    @Test func overlappingFindingsMergeIntoOneMarker() async throws {
        let guardrails = try GuardrailSet([
            DetectorGuardrail("emails", detecting: [.email], action: .redact),
            try DenyPatternGuardrail("ada", patterns: ["Ada@exam"], action: .redact),
            try DenyPatternGuardrail("tail", patterns: ["ple\\.com and"], action: .redact),
        ])
        let text = "Write Ada@example.com and go"
        let verdict = await guardrails.check(.text(text), stage: .output)
        #expect(verdict.findings.count == 3)
        #expect(verdict.redacted(.text(text)) == .text("Write [REDACTED:email] go"))
    }

    @Test func onlyRedactingGuardrailsRedact() async throws {
        let guardrails = try GuardrailSet([
            DetectorGuardrail("redact_email", detecting: [.email], action: .redact),
            DetectorGuardrail("approve_cards", detecting: [.paymentCard], action: .requireApproval(role: "finance")),
        ])
        let text = "ada@example.com paid with 4111 1111 1111 1111"
        let verdict = await guardrails.check(.text(text), stage: .output)
        #expect(verdict.decision == .requireApproval(roles: ["finance"]))
        #expect(verdict.redacted(.text(text)) == .text("[REDACTED:email] paid with 4111 1111 1111 1111"))
    }

    @Test func excerptsAreMasked() async {
        let key = "sk-proj-" + SecretDetectorTests.fake(156)
        let text = "ada@example.com 4111 1111 1111 1111 123-45-6789 DE89 3704 0044 0532 0130 00 +44 20 7946 0958 \(key)"
        let findings = DetectorGuardrail("all", detecting: GuardrailDetector.allCases).findings(in: .text(text))
        let excerpts = Dictionary(findings.map { ($0.kind, $0.excerpt) }, uniquingKeysWith: { first, _ in first })
        #expect(excerpts["email"] == "a**@example.com")
        #expect(excerpts["payment_card"] == "***************1111")
        #expect(excerpts["national_id.us_ssn"] == "*******6789")
        #expect(excerpts["iban"] == "DE89" + String(repeating: "*", count: 16) + "…0 00")
        #expect(excerpts["phone"] == "**************58")
        #expect(excerpts["secret.openai_key"] == "sk-proj-" + String(repeating: "*", count: 16) + "…")
        for finding in findings {
            guard let found = covered(finding, in: text) else { continue }
            #expect(!finding.excerpt.contains(found), "\(finding.kind) shows all of \(found)")
        }
    }

    @Test func maskingAlwaysHidesAtLeastHalf() {
        #expect(GuardrailFinding.mask("abcd", prefix: 4) == "ab**")
        #expect(GuardrailFinding.mask("abcd", prefix: 1, suffix: 1) == "a**d")
        #expect(GuardrailFinding.mask("abc", prefix: 3, suffix: 3) == "a**")
        #expect(GuardrailFinding.mask("x", prefix: 1) == "*")
        #expect(GuardrailFinding.mask("") == "")
        #expect(GuardrailFinding.mask("éèêëē", prefix: 1) == "é****")
        #expect(GuardrailFinding.mask(String(repeating: "z", count: 1000), prefix: 2) == "zz" + String(repeating: "*", count: 16) + "…")
    }

    @Test func customRangesInTheMiddleOfACharacterStillGiveText() async throws {
        let splitter = ClosureGuardrail("split", action: .redact) { _, _ in
            [GuardrailFinding(kind: "odd", range: 1..<2), GuardrailFinding(kind: "beyond", range: 40..<90)]
        }
        let verdict = try await splitter.check(.text("é and more"), stage: .input)  // "é" is 2 bytes: 1..<2 cuts it
        guard case let .text(redacted) = verdict.redacted(.text("é and more")) else {
            Issue.record("expected text")
            return
        }
        #expect(redacted.hasSuffix("[REDACTED:odd] and more"))
    }
}
