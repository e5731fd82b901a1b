/// A guardrail that trips on content that is not JSON conforming to a JSON Schema: an answer
/// that must have a shape, a tool result that must be what downstream code expects.
///
/// ```swift
/// let shape = try SchemaGuardrail("reply_shape", schema: JSONSchema(["type": "object", "required": ["reply"]]), stages: [.finalAnswer])
/// ```
///
/// JSON content is validated as it is; text must be JSON (a Markdown code fence around it is
/// tolerated, as for agents' answers). Each schema error is a finding at its instance path, up
/// to ``maximumFindings``. Nothing is hidden, so the guardrail denies or asks for approval; it
/// cannot redact.
public struct SchemaGuardrail: Guardrail {
    /// The guardrail's name, unique in its set.
    public let name: String
    /// The schema the content must conform to.
    public let schema: JSONSchema
    /// The stages it checks.
    public let stages: Set<GuardrailStage>
    /// What the guardrail does with content that does not conform.
    public let action: GuardrailAction

    /// Schema errors reported, at most; the last finding counts the rest.
    public static let maximumFindings = 20

    /// A guardrail named `name` that validates content at `stages` against `schema` and does `action` when it fails.
    ///
    /// - Throws: ``GuardrailError/unsupportedAction(guardrail:action:reason:)`` for ``GuardrailAction/redact``.
    public init(
        _ name: String, schema: JSONSchema, stages: Set<GuardrailStage> = GuardrailStage.all, action: GuardrailAction = .deny
    ) throws(GuardrailError) {
        if action == .redact {
            throw .unsupportedAction(guardrail: name, action: action, reason: "a schema finds no part of the content to hide")
        }
        self.name = name
        self.schema = schema
        self.stages = stages
        self.action = action
    }

    /// The verdict of ``findings(in:)``; never suspends.
    public func check(_ content: GuardrailContent, stage: GuardrailStage) async -> GuardrailVerdict {
        GuardrailVerdict(stage: stage, findings: findings(in: content))
    }

    /// How `content` fails the schema, without suspending.
    public func findings(in content: GuardrailContent) -> [GuardrailFinding] {
        let value: JSON
        switch content {
        case let .json(json):
            guard !content.isTooDeep else { return [GuardrailContent.tooDeep(guardrail: name)] }
            value = json
        case let .text(text):
            do {
                value = try JSON(parsing: AgentConversation.jsonText(text))
            } catch {
                return [finding(detail: "expected JSON, found text that is not: \(error)")]
            }
        }
        let errors = schema.validate(value).errors
        var findings = errors.prefix(Self.maximumFindings).map { finding(path: $0.instancePath, detail: "\($0.message) (schema \($0.schemaPath))") }
        if errors.count > Self.maximumFindings {
            findings.append(finding(detail: "and \(errors.count - Self.maximumFindings) more schema errors"))
        }
        return findings
    }

    private func finding(path: String = "", detail: String) -> GuardrailFinding {
        GuardrailFinding(guardrail: name, kind: "schema", action: action, path: path, detail: detail)
    }
}
