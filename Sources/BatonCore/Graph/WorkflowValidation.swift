/// A problem found when checking a workflow graph. `path` locates it in the workflow's structure
/// (`nodes.review.fallback`, `edges[2].to[0]`), so that a loader can point at the source line.
public struct WorkflowIssue: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A workflow that failed its checks, with every issue found.
public struct WorkflowValidationError: Error, Sendable, CustomStringConvertible {
    public var workflow: String
    public var issues: [WorkflowIssue]

    public var description: String {
        "workflow '\(workflow)' is invalid:\n" + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}

extension Workflow {
    /// Checks the graph: an entry exists; every referenced node exists; node names are unique and
    /// not reserved; every node is reachable; every cycle has a conditional way out.
    public func validate() -> [WorkflowIssue] {
        var issues: [WorkflowIssue] = []
        var seen: Set<String> = []
        for node in nodes {
            if node.id == Edge.end {
                issues.append(.init(path: "nodes.\(node.id)", message: "'\(Edge.end)' is reserved for the end of a path; rename the node"))
            }
            if node.id.isEmpty { issues.append(.init(path: "nodes", message: "a node has an empty name")) }
            if !seen.insert(node.id).inserted {
                issues.append(.init(path: "nodes.\(node.id)", message: "the node name '\(node.id)' is used twice"))
            }
            if node.maxVisits < 1 {
                issues.append(.init(path: "nodes.\(node.id).max_visits", message: "max_visits must be at least 1"))
            }
        }
        let known = Set(nodes.map(\.id))
        func check(_ name: String, at path: String, allowEnd: Bool = false) {
            if allowEnd && name == Edge.end { return }
            if !known.contains(name) {
                issues.append(.init(path: path, message: "refers to unknown node '\(name)'\(Self.suggestion(for: name, among: known))"))
            }
        }
        if entry.isEmpty {
            issues.append(.init(path: "entry", message: "the workflow has no entry node; name the node that runs first"))
        }
        for (position, name) in entry.enumerated() { check(name, at: "entry[\(position)]") }
        for (number, edge) in edges.enumerated() {
            for (position, name) in edge.from.enumerated() { check(name, at: "edges[\(number)].from[\(position)]") }
            for (position, name) in edge.to.enumerated() { check(name, at: "edges[\(number)].to[\(position)]", allowEnd: true) }
            if edge.to.isEmpty { issues.append(.init(path: "edges[\(number)].to", message: "the edge has no target")) }
        }
        for node in nodes {
            switch node.kind {
            case let .branch(branch):
                for (number, branchCase) in branch.cases.enumerated() {
                    for name in branchCase.targets { check(name, at: "nodes.\(node.id).cases[\(number)].to", allowEnd: true) }
                }
                for name in branch.otherwise { check(name, at: "nodes.\(node.id).otherwise", allowEnd: true) }
            case let .map(spec):
                check(spec.node, at: "nodes.\(node.id).node")
                if spec.node == node.id { issues.append(.init(path: "nodes.\(node.id).node", message: "a map node cannot map over itself")) }
            default: break
            }
            if let fallback = node.policy.fallback {
                check(fallback, at: "nodes.\(node.id).fallback")
                if fallback == node.id { issues.append(.init(path: "nodes.\(node.id).fallback", message: "a node cannot be its own fallback")) }
            }
        }
        guard issues.isEmpty else { return issues }
        issues += unreachableNodes().map { WorkflowIssue(path: "nodes.\($0)", message: "node '\($0)' can never run: no edge, branch, map or fallback leads to it from the entry") }
        if let cycle = unguardedCycle() {
            issues.append(.init(
                path: "edges",
                message: "the cycle \((cycle + [cycle[0]]).joined(separator: " → ")) has no condition to leave it; add a conditional edge or a branch node"
            ))
        }
        return issues
    }

    /// Throws ``WorkflowValidationError`` when ``validate()`` finds issues.
    public func validated() throws(WorkflowValidationError) -> Workflow {
        let issues = validate()
        if !issues.isEmpty { throw WorkflowValidationError(workflow: name, issues: issues) }
        return self
    }

    private func successors(of id: String, conditionalToo: Bool) -> [String] {
        var targets: [String] = []
        for edge in edges(from: id) where conditionalToo || edge.condition == nil {
            targets += edge.to
        }
        if let node = node(id) {
            if conditionalToo {
                targets += node.referencedNodes
            } else if case .branch = node.kind {
                return []
            }
        }
        return targets.filter { $0 != Edge.end }
    }

    private func unreachableNodes() -> [String] {
        var reached: Set<String> = []
        var queue = entry
        while let next = queue.popLast() {
            guard reached.insert(next).inserted else { continue }
            queue += successors(of: next, conditionalToo: true)
        }
        return nodes.map(\.id).filter { !reached.contains($0) }
    }

    /// A cycle made only of unconditional edges between non-branch nodes, if there is one.
    /// Depth-first with an explicit stack, so that a long chain cannot overflow the thread's stack.
    private func unguardedCycle() -> [String]? {
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        for node in nodes where state[node.id] == nil {
            state[node.id] = 1
            var stack: [(id: String, next: [String], position: Int)] = [(node.id, successors(of: node.id, conditionalToo: false), 0)]
            while let top = stack.indices.last {
                guard stack[top].position < stack[top].next.count else {
                    state[stack[top].id] = 2
                    stack.removeLast()
                    continue
                }
                let next = stack[top].next[stack[top].position]
                stack[top].position += 1
                if state[next] == 1, let start = stack.firstIndex(where: { $0.id == next }) { return stack[start...].map(\.id) }
                if state[next] == nil {
                    state[next] = 1
                    stack.append((next, successors(of: next, conditionalToo: false), 0))
                }
            }
        }
        return nil
    }

    static func suggestion(for name: String, among known: Set<String>) -> String {
        let close = known.map { ($0, editDistance($0, name)) }.filter { $0.1 <= 2 }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        return close.isEmpty ? "" : " (did you mean '\(close[0].0)'?)"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
