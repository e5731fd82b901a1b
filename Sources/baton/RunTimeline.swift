import BatonCore

/// The people's view of one run: its supersteps, and in each the steps with their duration,
/// attempts, errors and state writes, and the model and tool calls of their agents.
struct RunTimeline {
    let record: RunRecord
    let events: [Event]

    func render() -> String {
        var lines: [String] = []
        let duration = (events.last?.time ?? record.updatedAt) - (events.first?.time ?? record.createdAt)
        lines.append("run \(record.id)  \(record.status)  \(record.workflowName)  \(duration) ms, \(events.count) events")
        if let parent = record.parent { lines.append("  \(parent.relation.rawValue) of \(parent.run) at \(parent.at)") }
        if !record.tags.isEmpty { lines.append("  tags: \(record.tags.joined(separator: ", "))") }
        lines.append("input: \(JSON.excerpt(record.input, limit: 200))")
        var superstep = -1
        for event in events {
            if let step = event.data["step"]?.stringValue, let number = Int(step.split(separator: ".").first ?? ""), number != superstep {
                superstep = number
                lines.append("superstep \(number)")
            }
            if EventPrinter.agentEvents.contains(event.type) {
                lines.append("    " + EventPrinter.line(event))
                continue
            }
            guard event.data["step"] != nil else {
                switch event.type {
                case .runWaiting, .runCancelled, .runFailed, .runLimitExceeded, .runResumed, .signalReceived, .runCancelRequested, .runForked:
                    lines.append("  " + EventPrinter.line(event))
                default: break
                }
                continue
            }
            switch event.type {
            case .stepSucceeded:
                lines.append("  " + EventPrinter.line(event))
                let writes = event.data["writes"]?.objectValue ?? [:]
                for key in JSON.sortedKeys(writes) {
                    lines.append("      \(key) ← \(JSON.excerpt(writes[key] ?? .null, limit: 100))")
                }
            case .stepAttemptFailed, .stepFailed, .stepFallback, .stepWaiting:
                lines.append("  " + EventPrinter.line(event))
            default:
                break
            }
        }
        switch record.status {
        case .succeeded: lines.append("output: \(JSON.excerpt(record.output ?? .null, limit: 400))")
        case .waiting: lines.append("waiting for: \(record.waitingFor.map(\.json.canonicalString).joined(separator: ", "))")
        default: if let reason = record.reason { lines.append("reason: \(reason)") }
        }
        return lines.joined(separator: "\n")
    }
}
