import BatonCore

extension ScriptedModel {
    /// Reads a script as a `scripted:FILE` model reference names it (YAML or JSON, already parsed):
    ///
    /// ```yaml
    /// conversations:
    ///   - agent: triage            # optional: the agent it answers
    ///     match: "A-1001"          # optional: text a user message must contain
    ///     turns:
    ///       - tool_calls:
    ///           - {name: lookup_order, arguments: {order_id: "A-1001"}}
    ///       - json: {category: refund, reply: "…"}    # or text: "…"
    ///         usage: {input: 120, output: 40}          # optional
    ///       - error: {code: rate_limited, retry_after_ms: 200}   # a scripted provider fault
    /// ```
    public init(script: JSON) throws(ScriptError) {
        guard let list = script["conversations"]?.arrayValue else {
            throw ScriptError(path: "conversations", message: "a script is a mapping with a 'conversations' list")
        }
        var conversations: [Conversation] = []
        for (index, entry) in list.enumerated() {
            let path = "conversations[\(index)]"
            try Self.checkKeys(entry, allowed: ["agent", "match", "turns"], at: path)
            guard let turns = entry["turns"]?.arrayValue, !turns.isEmpty else {
                throw ScriptError(path: path + ".turns", message: "each conversation needs a non-empty 'turns' list")
            }
            var parsed: [Turn] = []
            for (position, turn) in turns.enumerated() {
                parsed.append(try Self.turn(turn, at: "\(path).turns[\(position)]"))
            }
            conversations.append(Conversation(agent: entry["agent"]?.stringValue, match: entry["match"]?.stringValue, turns: parsed))
        }
        self.init(conversations)
    }

    private static func turn(_ entry: JSON, at path: String) throws(ScriptError) -> Turn {
        try checkKeys(entry, allowed: ["text", "json", "tool_calls", "usage", "error"], at: path)
        var turn = Turn()
        if let json = entry["json"] {
            turn.text = json.canonicalString
        } else if let text = entry["text"] {
            guard let text = text.stringValue else { throw ScriptError(path: path + ".text", message: "'text' is a string (use 'json' for structured answers)") }
            turn.text = text
        }
        var calls: [(name: String, arguments: JSON)] = []
        for (index, call) in (entry["tool_calls"]?.arrayValue ?? []).enumerated() {
            guard let name = call["name"]?.stringValue else {
                throw ScriptError(path: "\(path).tool_calls[\(index)]", message: "a tool call needs a 'name'")
            }
            calls.append((name, call["arguments"] ?? [:]))
        }
        turn.toolCalls = calls
        if let usage = entry["usage"] { turn.usage = TokenUsage(json: usage) }
        if let error = entry["error"] { turn.error = try fault(error, at: path + ".error") }
        if turn.text.isEmpty && calls.isEmpty && turn.error == nil {
            throw ScriptError(path: path, message: "a turn needs 'text', 'json', 'tool_calls' or 'error'")
        }
        return turn
    }

    private static func fault(_ entry: JSON, at path: String) throws(ScriptError) -> ModelError {
        let message = entry["message"]?.stringValue ?? "scripted fault"
        switch entry["code"]?.stringValue {
        case "rate_limited":
            return .rateLimited(provider: "scripted", retryAfter: entry["retry_after_ms"]?.intValue.map { .milliseconds($0) }, message: message)
        case "server_error": return .server(provider: "scripted", status: entry["status"]?.intValue ?? 500, message: message)
        case "timeout": return .timeout(provider: "scripted", after: .seconds(entry["after_s"]?.intValue ?? 1))
        case "transport": return .transport(provider: "scripted", message: message)
        case "malformed": return .malformedResponse(provider: "scripted", excerpt: message)
        case "authentication": return .authentication(provider: "scripted", status: 401, message: message)
        default:
            throw ScriptError(path: path + ".code", message: "a fault's code is one of rate_limited, server_error, timeout, transport, malformed, authentication")
        }
    }

    private static func checkKeys(_ entry: JSON, allowed: Set<String>, at path: String) throws(ScriptError) {
        guard let members = entry.objectValue else { throw ScriptError(path: path, message: "expected a mapping") }
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ScriptError(path: path, message: "unknown field '\(unknown)' (expected \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}

/// A model script that cannot be read: where, and what is wrong.
public struct ScriptError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
