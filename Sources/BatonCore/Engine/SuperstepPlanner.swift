/// Decides what follows a completed superstep. A pure function of the checkpoint, the results in
/// branch order and the workflow: the same inputs always give the same next checkpoint, whatever
/// order the tasks finished in.
struct SuperstepPlanner: Sendable {
    let workflow: Workflow

    enum Plan: Sendable {
        /// The next checkpoint (its frontier is empty when the run is done), and the writes applied.
        case next(Checkpoint, writes: [StateWrite])
        /// A bound was hit; the checkpoint holds the state with this superstep's writes applied.
        case limitExceeded(String, Checkpoint, writes: [StateWrite])
        /// The writes could not be applied, or a condition could not be evaluated.
        case failed(String)
    }

    /// The results whose node's edges fire together: one task's, or a map's elements'.
    private struct OriginGroup {
        var origin: String
        /// For a map node's own task: its result, whose output is the list to fan out over.
        var fanOut: StepResult?
        /// The first output, and those of the map elements after it.
        var first: JSON
        var outputs: [JSON] = []
        var routes: [String]?
    }

    /// Plans the superstep after `checkpoint`, given one result per frontier task (same order).
    func plan(after checkpoint: Checkpoint, results: [StepResult], input: JSON) -> Plan {
        let writes = results.count == 1 ? results[0].writes : results.flatMap(\.writes)
        var members = checkpoint.state.objectValue ?? [:]
        do {
            try workflow.state.apply(writes, to: &members)
        } catch {
            return .failed("\(error)")
        }
        let state = JSON.object(members)
        var next = Checkpoint(
            superstep: checkpoint.superstep + 1, state: state, frontier: [], visits: checkpoint.visits, joins: checkpoint.joins,
            steps: checkpoint.steps + checkpoint.frontier.reduce(0) { $0 + ($1.isMapItem ? 0 : 1) }
        )

        var tasks: [TaskSpec] = []
        func schedule(_ target: String) {
            // Frontiers are short: a linear scan beats building a set.
            guard target != Edge.end, !tasks.contains(where: { $0.node == target && !$0.isMapItem }) else { return }
            tasks.append(TaskSpec(key: "", node: target))
        }

        // Group the results by the node whose edges fire: map elements fire their map node's edges once.
        var origins: [OriginGroup] = []
        origins.reserveCapacity(results.count == 1 ? 1 : 4)
        for (task, result) in zip(checkpoint.frontier, results) {
            if task.isMapItem, let position = origins.firstIndex(where: { $0.origin == task.origin && $0.fanOut == nil }) {
                origins[position].outputs.append(result.output)
                continue
            }
            let isFanOut = !task.isMapItem && workflow.isMap(task.node)
            origins.append(OriginGroup(origin: task.origin, fanOut: isFanOut ? result : nil, first: result.output, routes: result.routes))
        }

        do {
            for group in origins {
                if let fanOut = group.fanOut, let node = workflow.node(group.origin), case let .map(spec) = node.kind {
                    let elements = fanOut.output.arrayValue ?? []
                    if !elements.isEmpty {
                        for (index, element) in elements.enumerated() {
                            tasks.append(TaskSpec(key: "", node: spec.node, item: element, itemIndex: index, origin: group.origin))
                        }
                        continue
                    }
                }
                if let routes = group.routes {
                    routes.forEach(schedule)
                    continue
                }
                // The scope of conditional edges, built only when an edge has a condition.
                var scope: JSON?
                func conditionScope() -> JSON {
                    if let scope { return scope }
                    let output = group.outputs.isEmpty && group.fanOut == nil ? group.first : .array([group.first] + group.outputs)
                    let built: JSON = ["state": state, "input": input, "output": output]
                    scope = built
                    return built
                }
                for number in workflow.edgeNumbers(from: group.origin) {
                    let edge = workflow.edges[number]
                    if edge.isJoin {
                        let key = String(number)
                        var seen = next.joins[key] ?? []
                        if !seen.contains(group.origin) { seen.append(group.origin) }
                        guard Set(edge.from).isSubset(of: seen) else {
                            next.joins[key] = seen
                            continue
                        }
                        next.joins[key] = nil
                    }
                    if let condition = edge.condition, !(try condition.holds(in: conditionScope())) { continue }
                    edge.to.forEach(schedule)
                }
            }
        } catch {
            return .failed("a condition could not be evaluated: \(error)")
        }

        let prefix = String(next.superstep) + "."
        var counted = 0
        for position in tasks.indices {
            tasks[position].key = prefix + String(position)
            let task = tasks[position]
            if task.isMapItem { continue }
            counted += 1
            let visits: Int
            if let entry = next.visits.index(forKey: task.node) {
                visits = next.visits.values[entry] + 1
                next.visits.values[entry] = visits
            } else {
                visits = 1
                next.visits[task.node] = visits
            }
            if let maxVisits = workflow.maxVisits(of: task.node), visits > maxVisits {
                return .limitExceeded("node '\(task.node)' would run a \(ordinal(visits)) time; its max_visits is \(maxVisits)", next, writes: writes)
            }
        }
        next.frontier = tasks
        if next.steps + counted > workflow.limits.maxSteps {
            next.frontier = []
            return .limitExceeded("the run reached its step limit of \(workflow.limits.maxSteps) steps", next, writes: writes)
        }
        return .next(next, writes: writes)
    }

    private func ordinal(_ number: Int) -> String {
        switch number % 100 {
        case 11, 12, 13: return "\(number)th"
        default:
            switch number % 10 {
            case 1: return "\(number)st"
            case 2: return "\(number)nd"
            case 3: return "\(number)rd"
            default: return "\(number)th"
            }
        }
    }
}
