import BatonCore
import Foundation

/// Turns events into one line each for people: the live progress of `run` and `runs events`.
enum EventPrinter {
    static func line(_ event: Event) -> String {
        let data = event.data
        let node = data["node"]?.stringValue ?? "?"
        let step = data["step"]?.stringValue ?? ""
        let item = data["item_index"]?.intValue.map { "[\($0)]" } ?? ""
        let time = timestamp(event.time)
        switch event.type {
        case .runStarted:
            return "\(time) ▶ run \(event.run) started: \(data["version"]?.stringValue ?? "")"
        case .runForked:
            return "\(time) ▶ run \(event.run) forked from \(data["parent"]?.stringValue ?? "?") at checkpoint \(data["at"]?.intValue ?? 0)"
        case .runResumed:
            return "\(time) ▶ resumed at superstep \(data["superstep"]?.intValue ?? 0)"
        case .stepSucceeded:
            let attempt = (data["attempt"]?.intValue ?? 1) > 1 ? ", attempt \(data["attempt"]?.intValue ?? 1)" : ""
            let chosen = data["routes"]?.arrayValue ?? data["next"]?.arrayValue
            let routes = chosen.map { " → " + ($0.isEmpty ? "end" : $0.compactMap(\.stringValue).joined(separator: ", ")) } ?? ""
            return "\(time) ✔ \(step) \(node)\(item) (\(data["duration_ms"]?.intValue ?? 0) ms\(attempt))\(routes)"
        case .stepAttemptFailed:
            let retry = data["will_retry"] == true ? ", retrying in \(data["retry_in_ms"]?.intValue ?? 0) ms" : ""
            return "\(time) ↻ \(step) \(node)\(item) attempt \(data["attempt"]?.intValue ?? 1) failed: \(message(data["error"]))\(retry)"
        case .stepFailed:
            return "\(time) ✘ \(step) \(node)\(item) failed: \(message(data["error"]))"
        case .stepFallback:
            return "\(time) ↪ \(step) \(node) failed; falling back to \(data["fallback"]?.stringValue ?? "?")"
        case .stepWaiting:
            return "\(time) ⏸ \(step) \(node) waiting for \(data["waiting_for"]?.canonicalString ?? "")"
        case .effectRecorded:
            return "\(time)   effect \(data["name"]?.stringValue ?? "") recorded (\(data["idempotency_key"]?.stringValue ?? ""))"
        case .superstepCompleted:
            let next = data["next"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return "\(time)   superstep \(data["superstep"]?.intValue ?? 0) done → \(next.isEmpty ? "end" : next.joined(separator: ", "))"
        case .signalReceived:
            return "\(time) ✉ signal \(data["name"]?.stringValue ?? "") received"
        case .runWaiting:
            return "\(time) ⏸ run waiting"
        case .runSucceeded:
            return "\(time) ■ run succeeded"
        case .runFailed:
            return "\(time) ■ run failed: \(data["reason"]?.stringValue ?? "")"
        case .runCancelRequested:
            return "\(time) ■ cancel requested: \(data["reason"]?.stringValue ?? "")"
        case .runCancelled:
            return "\(time) ■ run cancelled: \(data["reason"]?.stringValue ?? "")"
        case .runLimitExceeded:
            return "\(time) ■ limit exceeded: \(data["reason"]?.stringValue ?? "")"
        case .modelCalled:
            let calls = data["tool_calls"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            let answer = calls.isEmpty ? "answer \(JSON.excerpt(data["text"] ?? "", limit: 60))" : "calls " + calls.joined(separator: ", ")
            let usage = data["usage"].map(TokenUsage.init(json:)) ?? .zero
            let cost = data["cost_usd"]?.doubleValue.map { ", $" + String(format: "%.6f", $0) } ?? ""
            let cached = data["cache"] == "hit" ? ", cached" : ""
            return "\(time)   ◆ \(data["agent"]?.stringValue ?? "agent") ← \(data["reference"]?.stringValue ?? "?"): \(answer) (\(data["latency_ms"]?.intValue ?? 0) ms, \(usage.input)+\(usage.output) tokens\(cost)\(cached))"
        case .modelFailed:
            let retry = data["will_retry"] == true ? ", retrying in \(data["retry_in_ms"]?.intValue ?? 0) ms" : ""
            return "\(time)   ◆ \(data["reference"]?.stringValue ?? "?") failed: \(message(data["error"]))\(retry)"
        case .modelRouted:
            return "\(time)   ◆ \(data["agent"]?.stringValue ?? "agent") moves to \(data["to"]?.stringValue ?? "?") (\(data["reason"]?.stringValue ?? ""))"
        case .toolSucceeded:
            return "\(time)   ⚙ \(data["tool"]?.stringValue ?? "?") → \(JSON.excerpt(data["result"] ?? .null, limit: 60)) (\(data["duration_ms"]?.intValue ?? 0) ms)"
        case .toolRejected, .toolFailed:
            return "\(time)   ⚙ \(data["tool"]?.stringValue ?? "?") \(event.type == .toolRejected ? "rejected" : "failed"): \(data["message"]?.stringValue ?? "")"
        case .toolRefused:
            return "\(time)   ⚙ \(data["tool"]?.stringValue ?? "?") refused: not among \(data["agent"]?.stringValue ?? "the agent")'s tools"
        case .agentOutputInvalid:
            return "\(time)   ◆ answer does not fit the schema (repair \(data["repair"]?.intValue ?? 0)): \(data["errors"]?.arrayValue?.first?.stringValue ?? "")"
        case .agentHandoff:
            return "\(time)   ◆ \(data["from"]?.stringValue ?? "?") hands off to \(data["to"]?.stringValue ?? "?")"
        case .agentLimitExceeded:
            return "\(time)   ◆ \(data["agent"]?.stringValue ?? "agent") reached \(data["limit"]?.stringValue ?? "a limit"): \(data["detail"]?.stringValue ?? "")"
        default:
            return "\(time)   \(event.type) \(JSON.excerpt(data, limit: 120))"
        }
    }

    /// The events of agents and their tools, shown inside their step.
    static let agentEvents: Set<EventType> = [
        .modelCalled, .modelFailed, .modelRouted, .toolSucceeded, .toolRejected, .toolFailed, .toolRefused, .agentOutputInvalid,
        .agentHandoff, .agentLimitExceeded,
    ]

    static func message(_ error: JSON?) -> String {
        guard let error else { return "unknown error" }
        return "\(error["message"]?.stringValue ?? "") [\(error["code"]?.stringValue ?? "")]"
    }

    static func timestamp(_ millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss.SSS"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
