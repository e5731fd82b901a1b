import BatonCore

extension FinishReason {
    /// The reason for an OpenAI `finish_reason` (other values are kept as they are).
    init(openAI reason: String) {
        switch reason {
        case "stop": self = .stop
        case "length": self = .length
        case "tool_calls", "function_call": self = .toolCalls
        case "content_filter": self = .contentFilter
        default: self.init(rawValue: reason)
        }
    }

    /// The reason for an Anthropic `stop_reason` (other values, such as `pause_turn`, are kept).
    init(anthropic reason: String) {
        switch reason {
        case "end_turn", "stop_sequence": self = .stop
        case "max_tokens", "model_context_window_exceeded": self = .length
        case "tool_use": self = .toolCalls
        case "refusal": self = .contentFilter
        default: self.init(rawValue: reason)
        }
    }
}
