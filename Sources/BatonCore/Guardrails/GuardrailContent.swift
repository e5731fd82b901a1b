/// What a guardrail checks: text (a prompt, a model's answer) or a JSON value (a tool's result,
/// a structured answer).
///
/// Detectors and deny patterns read text whole, and in JSON every string value and every
/// integer (as its decimal digits, so that a card number stored as a number is found); object
/// keys are structure, not content, and are neither scanned nor redacted.
public enum GuardrailContent: Sendable, Hashable {
    /// Text: a prompt, a model's answer, a tool result given to a model as text.
    case text(String)
    /// A JSON value: a tool's result, a structured answer.
    case json(JSON)

    /// JSON nested deeper than this is not walked: a guardrail that would have to look inside it
    /// denies it instead (the same bound as ``JSON/init(parsing:)-(String)``).
    public static let maximumDepth = 512

    /// The content as text: the text itself, or the canonical JSON text.
    public var text: String {
        switch self {
        case let .text(text): return text
        case let .json(value): return value.stringValue ?? value.canonicalString
        }
    }

    /// True when JSON content nests deeper than ``maximumDepth``. Looks no deeper than that.
    var isTooDeep: Bool {
        guard case let .json(value) = self else { return false }
        return Self.deeper(value, than: Self.maximumDepth)
    }

    private static func deeper(_ value: JSON, than levels: Int) -> Bool {
        switch value {
        case let .array(elements):
            return levels == 0 || elements.contains { deeper($0, than: levels - 1) }
        case let .object(members):
            return levels == 0 || members.values.contains { deeper($0, than: levels - 1) }
        default:
            return false
        }
    }

    /// The finding of a guardrail that cannot look inside content nested deeper than
    /// ``maximumDepth``: a denial, whatever the guardrail's action, since what cannot be checked
    /// does not pass.
    static func tooDeep(guardrail: String) -> GuardrailFinding {
        GuardrailFinding(
            guardrail: guardrail, kind: "nesting", action: .deny,
            detail: "JSON nested deeper than \(maximumDepth) levels cannot be checked, so it is refused"
        )
    }

    /// Calls `body` with each piece of text to scan and the path to it: the text itself at the
    /// empty path, or every string value and integer of JSON, as reference tokens of a JSON
    /// Pointer, object members in key order. Returns false, having called nothing, when JSON
    /// content is too deep to walk.
    func forEachText(_ body: (String, [String]) -> Void) -> Bool {
        switch self {
        case let .text(text):
            body(text, [])
            return true
        case let .json(value):
            guard !isTooDeep else { return false }
            var path: [String] = []
            Self.walk(value, path: &path, body)
            return true
        }
    }

    private static func walk(_ value: JSON, path: inout [String], _ body: (String, [String]) -> Void) {
        switch value {
        case let .string(text):
            body(text, path)
        case let .int(number):
            body(String(number), path)
        case let .array(elements):
            for (index, element) in elements.enumerated() {
                path.append(String(index))
                walk(element, path: &path, body)
                path.removeLast()
            }
        case let .object(members):
            JSON.forEachSorted(members) { _, key, member in
                path.append(key)
                walk(member, path: &path, body)
                path.removeLast()
            }
        case .null, .bool, .double:
            break
        }
    }
}
