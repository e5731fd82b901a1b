import BatonCore

/// A model that answers from a script: deterministic turns per conversation, tool calls included,
/// so that tests and examples run offline and the same every time.
///
/// A script is a list of conversations. A request is answered by the first conversation whose
/// `agent` is the requesting agent (or that names none) and whose `match` text, if any, appears
/// in one of the request's user messages. Its turn is the number of answers that agent has given
/// in the conversation so far (assistant messages bearing its name), so a conversation restarted
/// from the journal, or handed from agent to agent, gets the same answers again. A script that
/// runs out of turns answers with a ``ModelError/badRequest(provider:status:message:)`` naming
/// the agent and the turn. A conversation summarised by a soft limit counts the turns its summary
/// stands for (``AgentSummary``) as answered; the request for the summary itself (agent
/// `NAME/summary`) is answered by a conversation for that name if the script has one, else by a
/// short digest of the work it is given.
///
/// Usage is counted at four characters a token unless a turn says otherwise.
public struct ScriptedModel: ModelProvider {
    /// One scripted answer.
    public struct Turn: Sendable, Hashable {
        public var text: String
        public var toolCalls: [(name: String, arguments: JSON)] {
            get { calls.map { ($0.name, $0.arguments) } }
            set { calls = newValue.map { Call(name: $0.name, arguments: $0.arguments) } }
        }
        public var usage: TokenUsage?
        /// A failure to answer with instead (to script provider faults).
        public var error: ModelError?
        private var calls: [Call]

        private struct Call: Sendable, Hashable {
            var name: String
            var arguments: JSON
        }

        public init(text: String = "", toolCalls: [(name: String, arguments: JSON)] = [], usage: TokenUsage? = nil, error: ModelError? = nil) {
            self.text = text
            self.calls = toolCalls.map { Call(name: $0.name, arguments: $0.arguments) }
            self.usage = usage
            self.error = error
        }

        /// A final answer.
        public static func answer(_ text: String) -> Turn { Turn(text: text) }
        /// A final answer given as JSON.
        public static func answer(json: JSON) -> Turn { Turn(text: json.canonicalString) }
        /// Calls of tools, in order.
        public static func call(_ calls: (name: String, arguments: JSON)...) -> Turn { Turn(toolCalls: calls) }
    }

    /// The turns of one agent's conversation.
    public struct Conversation: Sendable, Hashable {
        /// The agent it answers (`nil`: any).
        public var agent: String?
        /// Text that must appear in a user message of the request (`nil`: any request).
        public var match: String?
        public var turns: [Turn]

        public init(agent: String? = nil, match: String? = nil, turns: [Turn]) {
            self.agent = agent
            self.match = match
            self.turns = turns
        }
    }

    public let name = "scripted"
    public var conversations: [Conversation]

    public init(_ conversations: [Conversation]) {
        self.conversations = conversations
    }

    /// One conversation for any agent.
    public init(turns: [Turn]) {
        self.init([Conversation(turns: turns)])
    }

    public func complete(_ request: ModelRequest) async throws -> ModelResponse {
        if let agent = request.agent, agent.hasSuffix(AgentSummary.agentSuffix), !conversations.contains(where: { $0.agent == agent }) {
            return Self.digest(request)
        }
        guard let conversation = conversations.first(where: { applies($0, to: request) }) else {
            throw ModelError.badRequest(
                provider: name, status: 0,
                message: "the script has no conversation for agent '\(request.agent ?? "?")'\(firstUserMessage(request).map { " and the message \"\($0.prefix(80))\"" } ?? "")"
            )
        }
        let summarized = request.messages.lazy.filter { $0.role == .user }.compactMap { AgentSummary.turns(in: $0.content) }.first ?? 0
        let turn = summarized + request.messages.filter { $0.role == .assistant && (request.agent == nil || $0.name == request.agent) }.count
        guard turn < conversation.turns.count else {
            throw ModelError.badRequest(
                provider: name, status: 0,
                message: "the script of agent '\(request.agent ?? "any")' has \(conversation.turns.count) turn(s); turn \(turn + 1) was asked for"
            )
        }
        let scripted = conversation.turns[turn]
        if let error = scripted.error { throw error }
        let calls = scripted.toolCalls.enumerated().map { index, call in
            ModelToolCall(id: "call_\(turn)_\(index)", name: call.name, arguments: call.arguments)
        }
        let usage = scripted.usage ?? TokenUsage(
            input: request.messages.reduce(0) { $0 + $1.content.utf8.count + $1.toolCalls.reduce(0) { $0 + $1.arguments.utf8.count } } / 4 + 1,
            output: (scripted.text.utf8.count + calls.reduce(0) { $0 + $1.arguments.utf8.count }) / 4 + 1
        )
        return ModelResponse(text: scripted.text, toolCalls: calls, usage: usage, model: "scripted")
    }

    /// A summary for a request that asks for one: the first 200 characters of the work it is given.
    private static func digest(_ request: ModelRequest) -> ModelResponse {
        let work = request.messages.last?.content ?? ""
        let text = "Digest: " + String(work.suffix(from: work.range(of: "The work so far:\n")?.upperBound ?? work.startIndex).prefix(200))
        let input = request.messages.reduce(0) { $0 + $1.content.utf8.count } / 4 + 1
        return ModelResponse(text: text, toolCalls: [], usage: TokenUsage(input: input, output: text.utf8.count / 4 + 1), model: "scripted")
    }

    private func applies(_ conversation: Conversation, to request: ModelRequest) -> Bool {
        if let agent = conversation.agent, agent != request.agent { return false }
        guard let match = conversation.match else { return true }
        return request.messages.contains { $0.role == .user && $0.content.contains(match) }
    }

    private func firstUserMessage(_ request: ModelRequest) -> String? {
        request.messages.first { $0.role == .user }?.content
    }
}
