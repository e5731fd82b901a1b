import BatonCore
import Synchronization
import Testing

/// How a set runs its guardrails and combines their verdicts, and custom guardrails in Swift.
@Suite struct GuardrailSetTests {
    static func trips(_ name: String, _ action: GuardrailAction, stages: Set<GuardrailStage> = GuardrailStage.all) -> ClosureGuardrail {
        ClosureGuardrail(name, stages: stages, action: action) { _, _ in [GuardrailFinding(kind: "always")] }
    }

    @Test func denyWinsOverApprovalWhichWinsOverRedaction() async throws {
        let redact = Self.trips("r", .redact), approve = Self.trips("a", .requireApproval(role: "finance"))
        let approveToo = Self.trips("a2", .requireApproval(role: "legal")), approveAgain = Self.trips("a3", .requireApproval(role: "finance"))
        let deny = Self.trips("d", .deny)
        let text = GuardrailContent.text("x")
        #expect(await GuardrailSet.empty.check(text, stage: .input).decision == .allow)
        #expect(try await GuardrailSet([redact]).check(text, stage: .input).decision == .redact)
        #expect(try await GuardrailSet([redact, approve]).check(text, stage: .input).decision == .requireApproval(roles: ["finance"]))
        #expect(try await GuardrailSet([approve, redact, approveToo, approveAgain]).check(text, stage: .input).decision
            == .requireApproval(roles: ["finance", "legal"]))
        let denied = try await GuardrailSet([redact, deny, approve]).check(text, stage: .input)
        guard case let .deny(reason) = denied.decision else {
            Issue.record("expected a denial, got \(denied.decision)")
            return
        }
        #expect(reason == "refused by guardrails: d: always")
        #expect(denied.findings.map(\.guardrail) == ["r", "d", "a"])
    }

    @Test func aDenialNamesWhatWasFoundWithoutShowingIt() async throws {
        let key = "sk-proj-" + SecretDetectorTests.fake(60)
        let guardrails = try GuardrailSet([DetectorGuardrail("no_secrets", detecting: GuardrailDetector.secrets)])
        let verdict = await guardrails.check(.json(["config": ["key": .string(key)]]), stage: .toolResult)
        guard case let .deny(reason) = verdict.decision else {
            Issue.record("expected a denial")
            return
        }
        #expect(reason.hasPrefix("refused by guardrails: no_secrets: secret.openai_key at /config/key (sk-proj-****"))
        #expect(!reason.contains(key))
        let event = verdict.json
        #expect(event["decision"] == "deny")
        #expect(event["stage"] == "tool_result")
        #expect(event["findings"]?.arrayValue?.first?["range"] == [0, .int(key.utf8.count)])
        #expect(event["findings"]?.arrayValue?.first?["action"] == "deny")
        #expect(!event.canonicalString.contains(key))
    }

    @Test func theEventRecordsRolesAndCountsWhatItLeavesOut() async throws {
        let many = ClosureGuardrail("many", action: .requireApproval(role: "ops")) { _, _ in
            (0..<70).map { GuardrailFinding(kind: "thing", range: $0..<($0 + 1)) }
        }
        let verdict = try await GuardrailSet([many]).check(.text(String(repeating: "x", count: 80)), stage: .finalAnswer)
        #expect(verdict.json["roles"] == ["ops"])
        #expect(verdict.json["findings"]?.arrayValue?.count == GuardrailVerdict.findingsShown)
        #expect(verdict.json["more_findings"] == 20)
        #expect(verdict.json["findings"]?.arrayValue?.first?["action"] == ["require_approval": "ops"])
        #expect(EventType.guardrailTripped.rawValue == "guardrail.tripped")
    }

    @Test func onlyTheGuardrailsOfTheStageRun() async throws {
        let calls = Mutex<[String]>([])
        func counting(_ name: String, _ stages: Set<GuardrailStage>) -> ClosureGuardrail {
            ClosureGuardrail(name, stages: stages) { _, stage in
                calls.withLock { $0.append("\(name)@\(stage)") }
                return []
            }
        }
        let guardrails = try GuardrailSet([counting("in", [.input, .toolResult]), counting("out", [.output, .finalAnswer]), counting("all", GuardrailStage.all)])
        _ = await guardrails.check(.text("hi"), stage: .toolResult)
        _ = await guardrails.check(.text("hi"), stage: .finalAnswer)
        #expect(calls.withLock { $0 } == ["in@tool_result", "all@tool_result", "out@final_answer", "all@final_answer"])
        #expect(guardrails.applies(to: .output))
        #expect(try !guardrails.selecting(["in"]).applies(to: .output))
        #expect(!GuardrailSet.empty.applies(to: .input))
    }

    @Test func selectionKeepsTheSetsOrderAndRefusesUnknownNames() throws {
        let guardrails = try GuardrailSet([Self.trips("a", .deny), Self.trips("b", .deny), Self.trips("c", .deny)])
        #expect(try guardrails.selecting(["c", "a"]).names == ["a", "c"])
        #expect(try guardrails.selecting([]).names == [])
        #expect(throws: GuardrailError.unknownGuardrail("d", known: ["a", "b", "c"])) { try guardrails.selecting(["d"]) }
        #expect(throws: GuardrailError.duplicateName("a")) { try GuardrailSet([Self.trips("a", .deny), Self.trips("a", .redact)]) }
    }

    @Test func aCustomGuardrailGetsItsNameAndActionOnEveryFinding() async throws {
        let competitors = ClosureGuardrail("no_competitors", stages: [.output], action: .redact) { content, _ in
            let text = content.text
            guard let found = text.firstRange(of: "Acme Corp") else { return [] }
            let start = text.utf8.distance(from: text.startIndex, to: found.lowerBound)
            return [GuardrailFinding(guardrail: "ignored", kind: "competitor", action: .deny, range: start..<start + 9, excerpt: "Acme****")]
        }
        let verdict = try await GuardrailSet([competitors]).check(.text("Try Acme Corp instead"), stage: .output)
        #expect(verdict.findings.map(\.guardrail) == ["no_competitors"])
        #expect(verdict.findings.map(\.action) == [.redact])
        #expect(verdict.redacted(.text("Try Acme Corp instead")) == .text("Try [REDACTED:competitor] instead"))
    }

    @Test func aCustomGuardrailMayAwait() async throws {
        actor Moderator {
            func flags(_ text: String) async -> Bool {
                await Task.yield()
                return text.contains("forbidden")
            }
        }
        let moderator = Moderator()
        let moderated = ClosureGuardrail("moderation") { content, _ in
            await moderator.flags(content.text) ? [GuardrailFinding(kind: "moderation", detail: "flagged by the moderator")] : []
        }
        let guardrails = try GuardrailSet([moderated])
        #expect(await guardrails.check(.text("fine"), stage: .input).decision == .allow)
        #expect(await guardrails.check(.text("forbidden"), stage: .input).findings.first?.detail == "flagged by the moderator")
    }

    @Test func aGuardrailThatFailsDeniesInsteadOfLettingContentThrough() async throws {
        struct Unavailable: Error, CustomStringConvertible {
            var description: String { "the moderation service is unavailable" }
        }
        let failing = ClosureGuardrail("moderation", action: .redact) { _, _ in throw Unavailable() }
        let verdict = try await GuardrailSet([failing, Self.trips("r", .redact)]).check(.text("hello"), stage: .output)
        #expect(verdict.findings.map(\.kind) == ["guardrail_error", "always"])
        guard case let .deny(reason) = verdict.decision else {
            Issue.record("expected a denial")
            return
        }
        #expect(reason.contains("moderation: guardrail_error: the guardrail failed, so the content is refused: the moderation service is unavailable"))
    }

    @Test func actionsAndStagesSpellTheirNamesAsYAMLDoes() {
        #expect(GuardrailStage.allCases.map(\.rawValue) == ["input", "tool_result", "output", "final_answer"])
        #expect(GuardrailAction.requireApproval(role: "finance").json == ["require_approval": "finance"])
        #expect(GuardrailAction.redact.json == "redact")
        #expect(GuardrailDetector.named("secrets") == GuardrailDetector.secrets)
        #expect(GuardrailDetector.named("national_id")?.count == 4)
        #expect(GuardrailDetector.named("iban") == [.iban])
        #expect(GuardrailDetector.named("ibans") == nil)
        #expect(GuardrailDetector.secrets.count == 10)
    }
}
