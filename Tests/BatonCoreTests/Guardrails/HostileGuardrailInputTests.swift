import BatonCore
import BatonTesting
import Testing

/// Content built to hurt: very long, repaired from invalid UTF-8, nested past any sense. Every
/// guardrail gives a verdict (or refuses what it cannot check), never a crash or a hang.
@Suite struct HostileGuardrailInputTests {
    static func everything() throws -> GuardrailSet {
        try GuardrailSet([
            DetectorGuardrail("all", detecting: GuardrailDetector.allCases, action: .redact),
            try DenyPatternGuardrail("patterns", patterns: ["(?i)(a+)+$", "(x|xx)*y", "wire transfer"], action: .redact),
            try MaxLengthGuardrail("long", maxCharacters: 5_000_000),
            try SchemaGuardrail("shape", schema: JSONSchema(["items": ["$ref": "#"]]), stages: [.toolResult]),
        ])
    }

    @Test func longRepetitiveTextIsScannedInLinearTime() async throws {
        let detectors = DetectorGuardrail("all", detecting: GuardrailDetector.allCases, action: .redact)
        let patterns = try DenyPatternGuardrail("patterns", patterns: ["(?i)(a+)+$", "(x|xx)*y", "wire transfer"], action: .redact)
        let pieces = ["@", "a", "1", "1 ", "-1", "+1 ", "sk-", "eyJ", "Bearer ", "-----BEGIN ", "AKIA", "DE89 ", "x", "(1)", "a@b."]
        // Computes for a while without suspending: on a thread of its own, off the shared pool.
        let found = try await onOwnThread {
            pieces.map { piece in
                let text = GuardrailContent.text(String(repeating: piece, count: 50_000 / piece.utf8.count))
                return detectors.findings(in: text).count + patterns.findings(in: text).count
            }
        }
        #expect(found.count == pieces.count)
        #expect(found[1] == 1)  // "aaa…" matches (a+)+$ once, at once
    }

    @Test func invalidUTF8IsRepairedAndChecked() async throws {
        let bytes: [UInt8] = Array("mail ada@example.com ".utf8) + [0xFF, 0xC3, 0x28, 0xE2, 0x82, 0xED, 0xA0, 0x80, 0xF0, 0x9F] + Array(" 4111 1111 1111 1111".utf8)
        let text = String(decoding: bytes, as: UTF8.self)
        let verdict = try await Self.everything().check(.text(text), stage: .output)
        #expect(verdict.findings.map(\.kind).contains("email"))
        #expect(verdict.findings.map(\.kind).contains("payment_card"))
        guard case let .text(redacted) = verdict.redacted(.text(text)) else {
            Issue.record("expected text")
            return
        }
        #expect(redacted.hasPrefix("mail [REDACTED:email] \u{FFFD}"))
        #expect(redacted.hasSuffix(" [REDACTED:payment_card]"))
    }

    @Test func deeplyNestedJSONIsRefusedNotWalkedIntoTheGround() async throws {
        var deep: JSON = "ada@example.com"
        for _ in 0..<20_000 { deep = .array([deep]) }
        let verdict = try await Self.everything().check(.json(deep), stage: .toolResult)
        #expect(verdict.findings.map(\.kind) == ["nesting", "nesting", "nesting", "nesting"])
        guard case .deny = verdict.decision else {
            Issue.record("expected a denial, got \(verdict.decision)")
            return
        }
        var shallow: JSON = "ada@example.com"
        for _ in 0..<GuardrailContent.maximumDepth { shallow = ["a": shallow] }
        let fine = try await Self.everything().check(.json(shallow), stage: .output)
        #expect(fine.findings.map(\.kind) == ["email"])
        #expect(fine.findings.first?.path.hasPrefix("/a/a/a") == true)
    }

    @Test func aMatchEverywhereIsStillLinear() async throws {
        let guardrails = try GuardrailSet([try DenyPatternGuardrail("any", patterns: ["."], action: .redact)])
        let text = String(repeating: "ab", count: 50_000)
        let verdict = await guardrails.check(.text(text), stage: .output)
        #expect(verdict.findings.count == 100_000)
        #expect(verdict.json["more_findings"] == .int(100_000 - GuardrailVerdict.findingsShown))
        #expect(verdict.redacted(.text(text)).text.hasPrefix("[REDACTED:deny_pattern][REDACTED:deny_pattern]"))
    }

    @Test func randomTextsGiveWellFormedFindingsAndRedactions() throws {
        var random = SeededGenerator(seed: 2026)
        let fragments = [
            "@", ".", "-", " ", "+", "(", ")", "1", "4111", "0", "555", "ada", "example.com", "sk-", "AKIA", "eyJ", "Bearer ", "DE89",
            "-----BEGIN ", "PRIVATE KEY-----", "é", "👩‍👩‍👧", "\n", "_", "x", "Z", "12345678", "\\n", "A1b2C3d4E5f6",
        ]
        let detectors = DetectorGuardrail("all", detecting: GuardrailDetector.allCases, action: .redact)
        let patterns = try DenyPatternGuardrail("patterns", patterns: ["(?i)a+", "[0-9]{2,}", "(?<=@)\\w+", "."], action: .redact)
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0..<40, using: &random)).map { _ in fragments.randomElement(using: &random) ?? "" }.joined()
            let bytes = Array(text.utf8)
            let findings = detectors.findings(in: .text(text)) + patterns.findings(in: .text(text))
            for finding in findings {
                let range = try #require(finding.range)
                #expect(range.lowerBound >= 0 && range.upperBound <= bytes.count && !range.isEmpty, "\(text)")
                #expect(bytes[range.lowerBound] & 0xC0 != 0x80 && (range.upperBound == bytes.count || bytes[range.upperBound] & 0xC0 != 0x80), "\(text)")
                if range.count > 1 { #expect(!finding.excerpt.contains(String(decoding: bytes[range], as: UTF8.self)), "\(text)") }
            }
            let verdict = GuardrailVerdict(stage: .output, findings: findings)
            #expect(!verdict.redacted(.text(text)).text.contains("\u{FFFD}"), "\(text)")
            let json: JSON = ["a": [.string(text), ["b": .string(text)]], "n": 4_111_111_111_111_111]
            let inJSON = GuardrailVerdict(stage: .output, findings: detectors.findings(in: .json(json)) + patterns.findings(in: .json(json)))
            guard case let .json(redacted) = inJSON.redacted(.json(json)) else {
                Issue.record("expected JSON")
                return
            }
            #expect(redacted["a"]?.arrayValue?.count == 2)
            #expect(redacted["n"]?.stringValue?.hasPrefix("[REDACTED:") == true)
        }
    }
}
