/// The tools one agent is offered, under names every provider accepts, and what each name reaches.
///
/// Providers allow `[A-Za-z0-9_-]{1,64}` in tool names; Baton's tools may have dots
/// (`time.get_current_time`): a dot becomes `__`, and the offer maps the name back.
struct AgentToolOffer: Sendable {
    /// What an offered name reaches.
    enum Target: Sendable, Equatable {
        case tool(String)
        case agent(String)
        case handoff(String)
    }

    private(set) var tools: [ModelTool] = []
    /// The offered names, as events list them.
    private(set) var namesJSON: JSON = []
    private var targets: [String: Target] = [:]

    init(agent: Agent, runtime: AgentRuntime) throws(AgentError) {
        for name in agent.tools {
            guard let contract = runtime.tools?.contract(name) else {
                let known = runtime.tools?.toolNames.sorted().joined(separator: ", ") ?? "no tool box"
                throw AgentError.invalidDefinition(agent: agent.name, reason: "it may use tool '\(name)', which is not registered (registered: \(known))")
            }
            add(ModelTool(contract), .tool(name))
        }
        for name in agent.agentTools {
            guard let callee = runtime.agent(named: name) else {
                throw AgentError.invalidDefinition(agent: agent.name, reason: "it may call agent '\(name)', which is not registered")
            }
            let description = callee.role.isEmpty ? "Ask agent \(name)." : callee.role
            add(ModelTool(name: name, description: description, parameters: callee.inputSchema ?? Agent.defaultInputSchema), .agent(name))
        }
        for name in agent.handoffs {
            guard let target = runtime.agent(named: name) else {
                throw AgentError.invalidDefinition(agent: agent.name, reason: "it may hand off to agent '\(name)', which is not registered")
            }
            let role = target.role.isEmpty ? "" : " (\(target.role))"
            add(
                ModelTool(
                    name: "transfer_to_\(name)", description: "Hand the conversation over to agent \(name)\(role).",
                    parameters: ["type": "object", "properties": ["reason": ["type": "string"]], "additionalProperties": false]
                ),
                .handoff(name)
            )
        }
        namesJSON = .array(tools.map { .string($0.name) })
    }

    /// What `name`, as the model wrote it, reaches; `nil` for a tool the agent was not offered.
    func target(_ name: String) -> Target? { targets[name] }

    private mutating func add(_ tool: ModelTool, _ target: Target) {
        var offered = tool
        let base = Self.providerName(tool.name)
        var name = base
        var suffix = 2
        while targets[name] != nil {
            name = String(base.prefix(60)) + "_\(suffix)"
            suffix += 1
        }
        offered.name = name
        targets[name] = target
        tools.append(offered)
    }

    /// `name` in the alphabet providers accept, at most 64 characters.
    static func providerName(_ name: String) -> String {
        let allowed = { (byte: UInt8) in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x2D
        }
        if name.utf8.count <= 64, name.utf8.allSatisfy(allowed) { return name }
        var result = ""
        for character in name {
            if character == "." {
                result += "__"
            } else if character.isASCII, character.isLetter || character.isNumber || character == "_" || character == "-" {
                result.append(character)
            } else {
                result += "_"
            }
        }
        return String(result.prefix(64))
    }
}
