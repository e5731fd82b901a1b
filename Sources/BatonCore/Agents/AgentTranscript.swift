/// The messages of a conversation, with what every model call needs of them kept up to date as
/// they change: their JSON for the `model.called` event and their size for the budget's estimate.
/// A call then costs the one new message, not the whole conversation again.
struct AgentTranscript: Sendable {
    private(set) var messages: [ChatMessage] = []
    private(set) var json: [JSON] = []
    private var characters = 0

    init(_ messages: [ChatMessage]) {
        for message in messages { append(message) }
    }

    mutating func append(_ message: ChatMessage) {
        messages.append(message)
        json.append(message.json)
        characters += Self.size(message)
    }

    mutating func removeLast() {
        guard let last = messages.popLast() else { return }
        json.removeLast()
        characters -= Self.size(last)
    }

    /// Replaces the first message (the system prompt, at a hand-off).
    mutating func replaceFirst(with message: ChatMessage) {
        guard !messages.isEmpty else { return append(message) }
        replace(at: 0, with: message)
    }

    /// Replaces the message at `index` (a prompt a guardrail redacted).
    mutating func replace(at index: Int, with message: ChatMessage) {
        guard messages.indices.contains(index) else { return }
        characters += Self.size(message) - Self.size(messages[index])
        messages[index] = message
        json[index] = message.json
    }

    /// Replaces the content of every tool result before the last assistant message (the last
    /// turn's results stay) with a note of its size, so that later calls send fewer tokens.
    /// Returns how many characters it removed.
    @discardableResult
    mutating func compact() -> Int {
        guard let lastTurn = messages.lastIndex(where: { $0.role == .assistant }) else { return 0 }
        var removed = 0
        for index in messages.indices where index < lastTurn && messages[index].role == .tool && !messages[index].content.hasPrefix(Self.elided) {
            let size = messages[index].content.utf8.count
            var shortened = messages[index]
            shortened.content = "\(Self.elided) \(size) characters, left out to save tokens]"
            characters += Self.size(shortened) - Self.size(messages[index])
            removed += size - shortened.content.utf8.count
            messages[index] = shortened
            json[index] = shortened.json
        }
        return removed
    }

    private static let elided = "[result of an earlier turn:"


    /// The messages that ask a model to summarise this conversation after its prompt.
    var summaryRequest: [ChatMessage] {
        let written = messages.dropFirst(2).map { message -> String in
            var line = "\(message.role.rawValue)\(message.name.map { " (\($0))" } ?? ""): \(message.content)"
            for call in message.toolCalls { line += "\n  calls \(call.name) \(call.arguments)" }
            return line
        }
        return [
            .system(
                "You summarise an agent's work so far, for the agent itself to continue from. Keep every fact, number, identifier, "
                    + "result and decision, and what is still to do; leave out pleasantries. Answer with the summary only."
            ),
            .user("The task:\n\(messages.count > 1 ? messages[1].content : "")\n\nThe work so far:\n\(written.joined(separator: "\n"))"),
        ]
    }

    /// Replaces everything after the prompt with `summary`, appended to the prompt, which says how
    /// many turns it stands for (`Summary of your first N turns`).
    mutating func summarize(_ summary: String, turns: Int) {
        guard messages.count > 2 else { return }
        let system = messages[0]
        var prompt = messages[1]
        prompt.content += "\n\n\(AgentSummary.heading(turns: turns)), to save tokens:\n\(summary)\n\nContinue from there."
        self = AgentTranscript([system, prompt])
    }


    /// A rough count of the tokens (four characters a token) for the budget's check before a
    /// call; the provider's count replaces it after.
    var estimatedTokens: Int { characters / 4 + 1 }

    private static func size(_ message: ChatMessage) -> Int {
        message.content.utf8.count + message.toolCalls.reduce(0) { $0 + $1.arguments.utf8.count + $1.name.utf8.count }
    }
}
