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
        /// The origin node's position in the workflow.
        var position: Int?
        /// For a map node's own task: its result's output is the list to fan out over.
        var isFanOut: Bool
        /// The offset of the first result, and those of the map elements after it.
        var first: Int
        var more: [Int] = []
    }

    /// Plans the superstep after `checkpoint`, given one result per frontier task (same order).
    func plan<Results: RandomAccessCollection<StepResult>>(after checkpoint: Checkpoint, results: Results, input: JSON) -> Plan
    where Results.Index == Int {
        func result(_ offset: Int) -> StepResult { results[results.startIndex + offset] }
        let writes = results.count == 1 ? result(0).writes : results.flatMap(\.writes)
        var members = checkpoint.state.objectValue ?? [:]
        do {
            try workflow.state.apply(writes, to: &members)
        } catch {
            return .failed("\(error)")
        }
        let state = JSON.object(members)
        var next = Checkpoint(
            superstep: checkpoint.superstep + 1, state: state, frontier: [], visits: checkpoint.visits, joins: checkpoint.joins,
            steps: checkpoint.steps + checkpoint.frontier.reduce(0) { $0 + ($1.isMapItem ? 0 : 1) },
            spent: Self.spending(checkpoint.spent, results), budgetScale: results.compactMap(\.budgetScale).max() ?? checkpoint.budgetScale
        )
        if let reason = stopReason(after: checkpoint, next: &next) { return .limitExceeded(reason, next, writes: writes) }

        var tasks: [TaskSpec] = []
        func schedule(_ target: String) {
            // Frontiers are short: a linear scan beats building a set.
            guard target != Edge.end, !tasks.contains(where: { $0.node == target && !$0.isMapItem }) else { return }
            tasks.append(TaskSpec(key: "", node: target))
        }

        // Fires the edges of one group's origin: schedules their targets (or a map's elements).
        func fire(_ group: OriginGroup) throws {
            let first = result(group.first)
            if group.isFanOut, let position = group.position, case let .map(spec) = workflow.nodes[position].kind {
                let elements = first.output.arrayValue ?? []
                if !elements.isEmpty {
                    for (index, element) in elements.enumerated() {
                        tasks.append(TaskSpec(key: "", node: spec.node, item: element, itemIndex: index, origin: group.origin))
                    }
                    return
                }
            }
            if let routes = first.routes {
                routes.forEach(schedule)
                return
            }
            guard let position = group.position else { return }
            // The scope of conditional edges, built only when an edge has a condition.
            var scope: JSON?
            func conditionScope() -> JSON {
                if let scope { return scope }
                let output = group.more.isEmpty && !group.isFanOut ? first.output : .array([first.output] + group.more.map { result($0).output })
                let built: JSON = ["state": state, "input": input, "output": output]
                scope = built
                return built
            }
            for number in workflow.edgeNumbers(at: position) {
                if workflow.edges[number].isJoin {
                    let key = String(number)
                    var seen = next.joins[key] ?? []
                    if !seen.contains(group.origin) { seen.append(group.origin) }
                    guard Set(workflow.edges[number].from).isSubset(of: seen) else {
                        next.joins[key] = seen
                        continue
                    }
                    next.joins[key] = nil
                }
                if let condition = workflow.edges[number].condition, !(try condition.holds(in: conditionScope())) { continue }
                workflow.edges[number].to.forEach(schedule)
            }
        }

        func group(of task: TaskSpec, at offset: Int) -> OriginGroup {
            let position = workflow.position(of: task.origin)
            let isFanOut = !task.isMapItem && position.map(workflow.isMap(at:)) ?? false
            return OriginGroup(origin: task.origin, position: position, isFanOut: isFanOut, first: offset)
        }

        do {
            if results.count == 1, let task = checkpoint.frontier.first {
                // One result (a chain's step): its own group, without building a list of groups.
                try fire(group(of: task, at: 0))
            } else {
                // Group the results by the node whose edges fire: map elements fire their map node's edges once.
                var origins: [OriginGroup] = []
                origins.reserveCapacity(4)
                for (offset, task) in checkpoint.frontier.prefix(results.count).enumerated() {
                    if task.isMapItem, let group = origins.firstIndex(where: { $0.origin == task.origin && !$0.isFanOut }) {
                        origins[group].more.append(offset)
                        continue
                    }
                    origins.append(group(of: task, at: offset))
                }
                for group in origins { try fire(group) }
            }
        } catch {
            return .failed("a condition could not be evaluated: \(error)")
        }

        let prefix = String(next.superstep) + "."
        var counted = 0
        for position in tasks.indices {
            tasks[position].key = prefix + String(position)
            if tasks[position].isMapItem { continue }
            counted += 1
            let node = tasks[position].node
            let visits: Int
            if let entry = next.visits.index(forKey: node) {
                visits = next.visits.values[entry] + 1
                next.visits.values[entry] = visits
            } else {
                visits = 1
                next.visits[node] = visits
            }
            if let maxVisits = workflow.maxVisits(of: node), visits > maxVisits {
                return .limitExceeded("node '\(node)' would run a \(ordinal(visits)) time; its max_visits is \(maxVisits)", next, writes: writes)
            }
        }
        next.frontier = tasks
        if next.steps + counted > workflow.limits.maxSteps {
            next.frontier = []
            return .limitExceeded("the run reached its step limit of \(workflow.limits.maxSteps) steps", next, writes: writes)
        }
        return .next(next, writes: writes)
    }

    /// The run's spending after a superstep: before it, plus each result's (`nil` while nothing is spent).
    private static func spending(_ before: Spending?, _ results: some Collection<StepResult>) -> Spending? {
        var total = before
        for result in results {
            if let spent = result.spent { total = (total ?? .zero) + spent }
        }
        return total
    }

    /// Why the run stops after this superstep although its graph goes on: its budget is spent, or
    /// its state stopped changing (when it watches for that). Counts unchanged supersteps in `next`.
    private func stopReason(after checkpoint: Checkpoint, next: inout Checkpoint) -> String? {
        let limits = workflow.limits
        if let spent = next.spent, let refusal = limits.budget.scaled(by: next.budgetScale).refusal(spent: spent, estimate: .zero, elapsed: nil) {
            return "the run's budget of \(refusal.limit) is spent: \(refusal.detail)"
        }
        guard let steps = limits.loops.unchangedStateSteps else { return nil }
        next.unchangedSupersteps = next.state == checkpoint.state ? (checkpoint.unchangedSupersteps ?? 0) + 1 : nil
        if let unchanged = next.unchangedSupersteps, unchanged >= steps, limits.loops.action == .stop {
            return "a loop was detected: the state has not changed for \(unchanged) supersteps"
        }
        return nil
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
