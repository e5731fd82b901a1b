import BatonCore
import Yams

extension WorkflowDecoder {
    /// `function: fix_bug`: a Swift function from the ``FunctionRegistry``.
    func function(_ node: YAMLNode, at path: String) -> NodeKind? {
        guard let name = context.string(node, at: path, expected: "the name of a registered function") else { return nil }
        guard let body = functions.function(name) else {
            let known = functions.functionNames
            let registered = known.isEmpty ? "no functions are registered" : "registered: \(Suggestions.list(known.prefix(10).map { $0 }, conjunction: "and"))\(known.count > 10 ? ", …" : "")"
            context.error(path, node: node, "unknown function '\(name)'\(Suggestions.didYouMean(name, among: known)); register it with FunctionRegistry.register(_:_:) before loading (\(registered))")
            return nil
        }
        return .function(body)
    }

    /// `set: { path: value, … }`.
    func assignments(_ node: YAMLNode, at path: String) -> NodeKind? {
        guard let fields = context.mapping(node, at: path, expected: "a mapping of state paths to values", nullIsEmpty: true) else { return nil }
        var assignments: [Assignment] = []
        var failed = false
        for entry in fields.entries {
            let entryPath = fields.path(entry.key)
            guard let target = try? StatePath(entry.key), !["input", "item", "index", "output"].contains(target.rootKey) else {
                context.error(entryPath, at: entry.keyPosition, "expected a state path to assign, such as summary or report.title, found \"\(entry.key)\"")
                failed = true
                continue
            }
            if let source = context.valueSource(entry.value, at: entryPath) {
                assignments.append(Assignment(target, source))
            } else {
                failed = true
            }
        }
        return failed ? nil : .set(assignments)
    }

    /// `tool: search_web` with `args: { … }`.
    func tool(_ node: YAMLNode, at path: String, fields: YAMLMapping) -> NodeKind? {
        guard let name = context.string(node, at: path, expected: "a tool name") else { return nil }
        if let problem = unknownTool(name) {
            context.error(path, node: node, problem)
            return nil
        }
        var arguments: [String: ValueSource] = [:]
        if let value = fields.value("args") {
            guard let decoded = context.valueSources(value, at: fields.path("args")) else { return nil }
            arguments = decoded
        }
        return .tool(ToolCall(tool: name, arguments: arguments))
    }

    /// `agent: writer` with `input: { … }`.
    func agent(_ node: YAMLNode, at path: String, fields: YAMLMapping) -> NodeKind? {
        guard let name = context.string(node, at: path, expected: "an agent name") else { return nil }
        let declared = agentDeclarations.map(\.name)
        if !declared.contains(name), agents?.hasAgent(name) != true, agents != nil || !declared.isEmpty {
            context.error(path, node: node, "unknown agent '\(name)'\(Suggestions.didYouMean(name, among: declared)); expected an agent under agents:" + (agents == nil ? "" : " or of the program's agent runtime"))
            return nil
        }
        var input: [String: ValueSource] = [:]
        if let value = fields.value("input") {
            guard let decoded = context.valueSources(value, at: fields.path("input")) else { return nil }
            input = decoded
        }
        return .agent(AgentCall(agent: name, input: input))
    }

    /// `branch: [ { when: …, to: … }, …, { otherwise: … } ]`.
    func branch(_ node: YAMLNode, at path: String, nodePath: String) -> NodeKind? {
        let expected = "a list of cases such as - { when: \"state.ok\", to: next } ending with - { otherwise: other }"
        guard let items = context.list(node, at: path, expected: expected) else { return nil }
        guard !items.isEmpty else {
            context.error(path, node: node, "expected at least one case, found an empty list")
            return nil
        }
        var cases: [(condition: Condition, targets: [String])] = []
        var otherwise: [String] = []
        var failed = false
        for (number, item) in items.enumerated() {
            guard let fields = context.mapping(item.node, at: item.path, expected: "a case ({ when: …, to: … } or { otherwise: … })", allowed: ["when", "to", "otherwise"]) else {
                failed = true
                continue
            }
            if let targetsNode = fields.value("otherwise") {
                if fields.has("when") || fields.has("to") {
                    context.error(item.path, node: item.node, "an 'otherwise' case has no 'when' or 'to'; write - { otherwise: [targets] }")
                    failed = true
                }
                if number != items.count - 1 {
                    context.error(fields.path("otherwise"), at: fields.keyPosition("otherwise"), "'otherwise' must be the last case: cases after it could never be chosen")
                    failed = true
                }
                context.alias(core: "\(nodePath).otherwise", to: fields.path("otherwise"), at: targetsNode.position)
                if let targets = context.names(targetsNode, at: fields.path("otherwise"), "a node name") { otherwise = targets.map(\.name) } else { failed = true }
                continue
            }
            guard let whenNode = context.required(fields, "when", "the condition of this case"),
                let toNode = context.required(fields, "to", "the node or nodes this case leads to")
            else {
                failed = true
                continue
            }
            context.alias(core: "\(nodePath).cases[\(cases.count)].to", to: fields.path("to"), at: toNode.position)
            let condition = context.expression(whenNode, at: fields.path("when"), scope: ExpressionScope.branch)
            let targets = context.names(toNode, at: fields.path("to"), "a node name")
            if let condition, let targets { cases.append((.expression(condition), targets.map(\.name))) } else { failed = true }
        }
        return failed ? nil : .branch(Branch(cases: cases, otherwise: otherwise))
    }

    /// `map: { over: state.files, node: summarise, into: summaries, max_concurrency: 8 }`.
    func map(_ node: YAMLNode, at path: String, nodePath: String) -> NodeKind? {
        guard let fields = context.mapping(node, at: path, allowed: ["over", "node", "into", "max_concurrency"]) else { return nil }
        let overNode = context.required(fields, "over", "the path of the list to fan out over, such as state.files")
        let bodyNode = context.required(fields, "node", "the node to run for each element")
        let intoNode = context.required(fields, "into", "the state key that collects the results")
        guard let overNode, let bodyNode, let intoNode else { return nil }
        context.alias(core: "\(nodePath).node", to: fields.path("node"), at: bodyNode.position)
        let over = context.statePath(overNode, at: fields.path("over"))
        let body = context.name(bodyNode, at: fields.path("node"), "a node name")
        let into = stateKey(intoNode, at: fields.path("into"))
        var concurrency: Int?
        var failed = false
        if let value = fields.value("max_concurrency") {
            concurrency = context.integer(value, at: fields.path("max_concurrency"))
            failed = concurrency == nil
        }
        if let into, stateReducers[into].map({ if case .replace = $0 { return true } else { return false } }) ?? true {
            context.error(
                fields.path("into"), at: intoNode.position,
                "the map writes each element's result to '\(into)' through its reducer, and \(stateReducers[into] == nil ? "an undeclared key uses" : "'\(into)' uses") replace, which keeps only the last; declare it under state with reducer: append"
            )
            failed = true
        }
        guard let over, let body, let into, !failed else { return nil }
        return .map(MapSpec(over: over, node: body, into: into, maxConcurrency: concurrency))
    }

    /// `wait: { signal: approval, timeout: 1h }` or `wait: { timer: 5s }`.
    func wait(_ node: YAMLNode, at path: String) -> NodeKind? {
        guard let fields = context.mapping(node, at: path, expected: "{ signal: name, timeout: duration } or { timer: duration }", allowed: ["signal", "timeout", "timer"]) else {
            return nil
        }
        if let timerNode = fields.value("timer") {
            if fields.has("signal") || fields.has("timeout") {
                context.error(fields.path("timer"), at: fields.keyPosition("timer"), "a wait has either a timer or a signal (with an optional timeout), not both")
                return nil
            }
            return duration(timerNode, at: fields.path("timer")).map { .wait(WaitSpec(timeout: $0)) }
        }
        guard let signalNode = fields.value("signal") else {
            context.error(path, node: node, "a wait needs a signal (wait: { signal: approval }) or a timer (wait: { timer: 5s })")
            return nil
        }
        let signal = context.name(signalNode, at: fields.path("signal"), "a signal name")
        var timeout: Duration?
        if let value = fields.value("timeout") {
            guard let parsed = duration(value, at: fields.path("timeout")) else { return nil }
            timeout = parsed
        }
        return signal.map { .wait(WaitSpec(signal: $0, timeout: timeout)) }
    }

    /// `workflow: summarise-one` (registered by name) or `workflow: ./summarise-one.yaml` (a file, loaded too).
    func subworkflow(_ node: YAMLNode, at path: String, fields: YAMLMapping) -> NodeKind? {
        guard let reference = context.string(node, at: path, expected: "a workflow name or a .yaml file path") else { return nil }
        let name: String
        if reference.hasSuffix(".yaml") || reference.hasSuffix(".yml") {
            guard let loaded = resolveFile(reference, path, node.position) else { return nil }
            name = loaded
        } else {
            guard Names.isValidWorkflowName(reference) else {
                context.error(path, node: node, "expected a workflow name (letters, digits, '_', '-', '.') or a file path ending in .yaml, found \(node.found)")
                return nil
            }
            name = reference
        }
        var input: [String: ValueSource]?
        if let value = fields.value("input") {
            guard let decoded = context.valueSources(value, at: fields.path("input")) else { return nil }
            input = decoded
        }
        return .workflow(SubworkflowCall(workflow: name, input: input))
    }
}
