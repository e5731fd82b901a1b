import Foundation
import BatonCore

/// Reads the chunks of a streamed Chat Completions answer (`chat.completion.chunk` events, then
/// `[DONE]`): text pieces, tool-call fragments by index, the finish reason, and the usage chunk
/// that `stream_options.include_usage` adds at the end.
struct OpenAIChatStreamDecoder: ModelStreamDecoder {
    let provider: String
    let redactor: SecretRedactor
    private var sawDone = false
    private var sawFinish = false
    private var model: String?

    init(provider: String, redactor: SecretRedactor) {
        self.provider = provider
        self.redactor = redactor
    }

    /// `[DONE]` arrived, or the stream ended after a finish reason (servers that omit `[DONE]`).
    var isComplete: Bool { sawDone || sawFinish }

    mutating func decode(_ event: ServerSentEventParser.Event) throws(ModelError) -> [ModelDelta] {
        let data = event.data.trimmingCharacters(in: .whitespaces)
        if data == "[DONE]" {
            sawDone = true
            return []
        }
        if data.isEmpty { return [] }
        let chunk: JSON
        do {
            chunk = try JSON(parsing: data)
        } catch {
            throw ModelError.malformedResponse(provider: provider, excerpt: "a stream chunk that is not JSON: \(redactor.excerpt(data))")
        }
        if let error = chunk["error"], error != .null { throw Self.error(error, provider: provider, redactor: redactor) }
        var deltas: [ModelDelta] = []
        if model == nil, let name = chunk["model"]?.stringValue, !name.isEmpty {
            model = name
            deltas.append(.model(name))
        }
        if let choice = chunk["choices"]?.arrayValue?.first(where: { ($0["index"]?.intValue ?? 0) == 0 }) {
            let delta = choice["delta"]
            if let text = delta?["content"]?.stringValue, !text.isEmpty { deltas.append(.text(text)) }
            if let refusal = delta?["refusal"]?.stringValue, !refusal.isEmpty { deltas.append(.text(refusal)) }
            for (position, call) in (delta?["tool_calls"]?.arrayValue ?? []).enumerated() {
                deltas.append(.toolCall(
                    index: call["index"]?.intValue ?? position, id: call["id"]?.stringValue,
                    name: call["function"]?["name"]?.stringValue, arguments: call["function"]?["arguments"]?.stringValue ?? ""
                ))
            }
            if let reason = choice["finish_reason"]?.stringValue {
                sawFinish = true
                deltas.append(.finish(FinishReason(openAI: reason)))
            }
        }
        if let usage = OpenAIChatResponse.usage(chunk["usage"]) { deltas.append(.usage(usage)) }
        return deltas
    }

    /// The error an `error` object reports inside an answer or a stream, by its `code` or `type`.
    static func error(_ error: JSON, provider: String, redactor: SecretRedactor) -> ModelError {
        let message = redactor.excerpt(error["message"]?.stringValue ?? error.stringValue ?? error.canonicalString)
        let kind = (error["type"]?.stringValue ?? "") + " " + (error["code"]?.stringValue ?? "")
        let status: Int
        if let code = error["code"]?.intValue, (400..<600).contains(code) {
            status = code
        } else if kind.contains("rate_limit") || kind.contains("quota") {
            status = 429
        } else if kind.contains("authentication") || kind.contains("invalid_api_key") {
            status = 401
        } else if kind.contains("invalid_request") {
            status = 400
        } else {
            status = 500
        }
        return ModelError.forStatus(status, provider: provider, message: message)
    }
}
