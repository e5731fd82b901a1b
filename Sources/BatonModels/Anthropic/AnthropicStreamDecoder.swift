import BatonCore

/// Reads the events of a streamed Messages API answer: `message_start` (model, input usage),
/// `content_block_start`/`content_block_delta` (`text_delta`, `input_json_delta`)/
/// `content_block_stop`, `message_delta` (stop reason, output usage), `message_stop`, `ping`,
/// and `error`. Unknown events are skipped, as Anthropic asks.
///
/// Tool calls are numbered from 0 among the tool_use blocks. The answer tool of structured output
/// becomes text, given whole when its block ends (its input may have to be unwrapped).
struct AnthropicStreamDecoder: ModelStreamDecoder {
    private enum Block {
        case text
        case tool(index: Int)
        case answer(input: String)
        case other
    }

    let provider: String
    let redactor: SecretRedactor
    let output: AnthropicStructuredOutput?
    private var blocks: [Int: Block] = [:]
    private var toolCount = 0
    private var answered = false
    private var usage = TokenUsage.zero
    private var sawStop = false

    init(provider: String, redactor: SecretRedactor, output: AnthropicStructuredOutput?) {
        self.provider = provider
        self.redactor = redactor
        self.output = output
    }

    var isComplete: Bool { sawStop }

    mutating func decode(_ event: ServerSentEventParser.Event) throws(ModelError) -> [ModelDelta] {
        let json: JSON
        do {
            json = try JSON(parsing: event.data)
        } catch {
            throw ModelError.malformedResponse(provider: provider, excerpt: "a stream event that is not JSON: \(redactor.excerpt(event.data))")
        }
        let index = json["index"]?.intValue ?? 0
        switch json["type"]?.stringValue ?? event.type {
        case "message_start":
            let message = json["message"]
            update(usage: message?["usage"])
            return (message?["model"]?.stringValue.map { [.model($0)] } ?? []) + [.usage(usage)]
        case "content_block_start":
            return start(json["content_block"] ?? [:], at: index)
        case "content_block_delta":
            return delta(json["delta"] ?? [:], at: index)
        case "content_block_stop":
            guard case let .answer(input)? = blocks[index], let output else { return [] }
            answered = true
            return [.text(output.answer(fromInputText: input.isEmpty ? "{}" : input))]
        case "message_delta":
            update(usage: json["usage"])
            var deltas: [ModelDelta] = [.usage(usage)]
            if let reason = json["delta"]?["stop_reason"]?.stringValue {
                deltas.append(.finish(answered && toolCount == 0 ? .stop : FinishReason(anthropic: reason)))
            }
            return deltas
        case "message_stop":
            sawStop = true
            return []
        case "error":
            throw AnthropicResponse.error(json["error"] ?? json, provider: provider, redactor: redactor)
        default:
            return []  // ping, and event types added later
        }
    }

    private mutating func start(_ block: JSON, at index: Int) -> [ModelDelta] {
        switch block["type"]?.stringValue {
        case "text"?:
            blocks[index] = .text
            let text = block["text"]?.stringValue ?? ""
            return text.isEmpty ? [] : [.text(text)]
        case "tool_use"?:
            let name = block["name"]?.stringValue ?? ""
            // The input starts as `{}` and arrives as input_json_delta pieces; a proxy that sends
            // it whole in the start block is read too.
            let input = block["input"].flatMap { $0 == [:] ? nil : $0.canonicalString } ?? ""
            if let output, name == output.toolName {
                blocks[index] = .answer(input: input)
                return []
            }
            let call = toolCount
            toolCount += 1
            blocks[index] = .tool(index: call)
            return [.toolCall(index: call, id: block["id"]?.stringValue, name: name, arguments: input)]
        default:
            blocks[index] = .other
            return []
        }
    }

    private mutating func delta(_ delta: JSON, at index: Int) -> [ModelDelta] {
        switch (blocks[index], delta["type"]?.stringValue) {
        case (.text?, "text_delta"?):
            let text = delta["text"]?.stringValue ?? ""
            return text.isEmpty ? [] : [.text(text)]
        case let (.tool(call)?, "input_json_delta"?):
            return [.toolCall(index: call, id: nil, name: nil, arguments: delta["partial_json"]?.stringValue ?? "")]
        case let (.answer(input)?, "input_json_delta"?):
            blocks[index] = .answer(input: input + (delta["partial_json"]?.stringValue ?? ""))
            return []
        default:
            return []  // thinking, signatures, citations
        }
    }

    /// Takes the counts `json` reports: `message_start` has the input, `message_delta` the
    /// output so far (and, in newer versions, the input again).
    private mutating func update(usage json: JSON?) {
        guard let json, case .object = json else { return }
        let reported = AnthropicResponse.usage(json) ?? .zero
        let hasInput = json["input_tokens"] != nil || json["cache_read_input_tokens"] != nil || json["cache_creation_input_tokens"] != nil
        if hasInput {
            usage.input = reported.input
            usage.cached = reported.cached
        }
        if json["output_tokens"] != nil { usage.output = reported.output }
    }
}
