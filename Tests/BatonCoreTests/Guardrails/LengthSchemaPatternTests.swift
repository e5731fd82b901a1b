import BatonCore
import Testing

/// Maximum length, JSON Schema conformance and deny patterns.
@Suite struct LengthSchemaPatternTests {
    @Test func maximumLengthCountsCharactersNotBytes() throws {
        let short = try MaxLengthGuardrail("short", maxCharacters: 10)
        #expect(short.findings(in: .text(String(repeating: "é", count: 10))).isEmpty)  // 20 bytes, 10 characters
        #expect(short.findings(in: .text(String(repeating: "👩‍👩‍👧", count: 10))).isEmpty)  // one character each
        #expect(short.findings(in: .text(String(repeating: "e\u{301}", count: 10))).isEmpty)  // e and a combining accent
        let long = short.findings(in: .text(String(repeating: "é", count: 11)))
        #expect(long.map(\.kind) == ["max_length"])
        #expect(long.first?.range == 20..<22)
        #expect(long.first?.detail == "11 characters, at most 10")
        #expect(long.first?.action == .deny)
    }

    @Test func maximumLengthOfJSONIsItsCanonicalText() throws {
        let short = try MaxLengthGuardrail("short", maxCharacters: 12, action: .requireApproval(role: "ops"))
        #expect(short.findings(in: .json(["a": "1234"])).isEmpty)  // {"a":"1234"}: 12 characters
        let long = short.findings(in: .json(["a": "12345"]))
        #expect(long.first?.detail == "13 characters, at most 12")
        #expect(long.first?.action == .requireApproval(role: "ops"))
    }

    @Test func maximumLengthCannotRedactOrBeZero() {
        #expect(throws: GuardrailError.self) { try MaxLengthGuardrail("short", maxCharacters: 10, action: .redact) }
        #expect(throws: GuardrailError.invalidSetting(guardrail: "none", reason: "the maximum length must be at least 1 character, not 0")) {
            try MaxLengthGuardrail("none", maxCharacters: 0)
        }
    }

    static let replySchema: JSON = [
        "type": "object", "required": ["reply", "priority"],
        "properties": ["reply": ["type": "string"], "priority": ["type": "integer", "maximum": 3]],
    ]

    @Test func schemaConformance() throws {
        let shape = try SchemaGuardrail("shape", schema: JSONSchema(Self.replySchema))
        #expect(shape.findings(in: .json(["reply": "ok", "priority": 1])).isEmpty)
        #expect(shape.findings(in: .text(#"{"reply": "ok", "priority": 2}"#)).isEmpty)
        #expect(shape.findings(in: .text("```json\n{\"reply\": \"ok\", \"priority\": 2}\n```")).isEmpty)
        let wrong = shape.findings(in: .json(["reply": 3, "priority": 9]))
        #expect(wrong.map(\.path).sorted() == ["/priority", "/reply"])
        #expect(wrong.allSatisfy { $0.kind == "schema" && $0.range == nil })
        #expect(wrong.contains { $0.detail?.contains("must be at most 3") == true })
        let prose = shape.findings(in: .text("Sure! Here is the answer."))
        #expect(prose.count == 1)
        #expect(prose.first?.detail?.hasPrefix("expected JSON, found text that is not") == true)
        #expect(throws: GuardrailError.self) { try SchemaGuardrail("shape", schema: JSONSchema(Self.replySchema), action: .redact) }
    }

    @Test func schemaErrorsAreCapped() throws {
        var properties: [String: JSON] = [:]
        for index in 0..<40 { properties["p\(index)"] = ["type": "string"] }
        let strict = try SchemaGuardrail("strict", schema: JSONSchema(["type": "object", "properties": .object(properties)]))
        var instance: [String: JSON] = [:]
        for index in 0..<40 { instance["p\(index)"] = .int(index) }
        let findings = strict.findings(in: .json(.object(instance)))
        #expect(findings.count == SchemaGuardrail.maximumFindings + 1)
        #expect(findings.last?.detail == "and 20 more schema errors")
    }

    /// The text of each match of `patterns` in `text`.
    func matches(_ patterns: [String], in text: String) throws -> [String] {
        let findings = try DenyPatternGuardrail("p", patterns: patterns).findings(in: .text(text))
        return findings.compactMap { covered($0, in: text) }
    }

    @Test func denyPatternsLocateEveryMatch() throws {
        #expect(try matches(["wire transfer"], in: "A wire transfer, then another wire transfer.") == ["wire transfer", "wire transfer"])
        #expect(try matches(["(?i)wire transfer"], in: "WIRE Transfer now") == ["WIRE Transfer"])
        #expect(try matches(["wire transfer"], in: "WIRE Transfer now").isEmpty)
        #expect(try matches(["ab|abc"], in: "abc") == ["ab"])  // the first alternative wins, as in ECMA-262
        #expect(try matches(["a+"], in: "caaab aa") == ["aaa", "aa"])
        #expect(try matches(["x*"], in: "abc").isEmpty)  // matches of no characters do not count
        #expect(try matches(["^ab"], in: "abab") == ["ab"])
        #expect(try matches(["b(?=c)"], in: "ab bc bcb") == ["b", "b"])
        #expect(try matches(["(?<=€)\\d+"], in: "€12 and $34 and €56") == ["12", "56"])
        #expect(try matches(["[a-z]+"], in: "ünïcode wörds") == ["n", "code", "w", "rds"])
        #expect(try matches(["é+"], in: "café éé") == ["é", "éé"])
        #expect(try matches(["a\\d", "\\d{3}"], in: "a1 123") == ["a1", "123"])
    }

    @Test func ignoringCaseLeavesEscapesAlone() throws {
        #expect(try matches(["(?i)\\D+"], in: "AB12") == ["AB"])
        #expect(try matches(["(?i)\\p{L}+"], in: "abc DEF") == ["abc", "DEF"])
        #expect(try matches(["(?i)\\p{Lu}+"], in: "abc DEF").isEmpty)  // the pattern sees the text in lowercase
        #expect(try matches(["(?i)[A-C]+"], in: "xAbCd") == ["AbC"])
        #expect(try matches(["(?i)\\bSecret\\b"], in: "top SECRET, secretive") == ["SECRET"])
    }

    @Test func denyPatternsRedactRequireApprovalOrDeny() async throws {
        let text = "Please send a wire transfer today."
        let redact = try DenyPatternGuardrail("wire", patterns: ["(?i)wire transfer"], action: .redact)
        #expect(await redact.check(.text(text), stage: .output).redacted(.text(text)) == .text("Please send a [REDACTED:deny_pattern] today."))
        let approve = try DenyPatternGuardrail("wire", patterns: ["(?i)wire transfer"], action: .requireApproval(role: "finance"))
        #expect(await approve.check(.json(["note": .string(text)]), stage: .output).decision == .requireApproval(roles: ["finance"]))
        #expect(try DenyPatternGuardrail("wire", patterns: ["(?i)wire transfer"]).findings(in: .text(text)).first?.excerpt == "wire" + String(repeating: "*", count: 9))
    }

    @Test func badPatternsAreRefusedWhenBuilt() {
        #expect(throws: GuardrailError.self) { try DenyPatternGuardrail("bad", patterns: ["(unclosed"]) }
        #expect(throws: GuardrailError.self) { try DenyPatternGuardrail("backref", patterns: ["(a)\\1"]) }
        do {
            _ = try DenyPatternGuardrail("bad", patterns: ["ok", "[z-a]"])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("guardrail 'bad': the deny pattern '[z-a]' cannot be used"))
        }
    }
}
