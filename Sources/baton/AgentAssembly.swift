import BatonCore
import BatonModels
import BatonSpec
import Foundation

/// The names of the providers `baton` resolves, for messages.
enum EnvironmentProviders {
    static var names: String { (EnvironmentModelResolver.providers + ["scripted"]).joined(separator: ", ") }
}

/// The agents a workflow file declares, made real for `baton`: their models resolved from the
/// environment (`scripted:FILE` from script files), recorded or replayed as the options say,
/// priced by the standard table plus the file's and the options' prices, on the tools of `box`,
/// with the response cache of the store.
struct AgentAssembly {
    let runtime: AgentRuntime?
    private let resolver: EnvironmentModelResolver?

    static let none = AgentAssembly(runtime: nil, resolver: nil)

    static func assemble(_ loaded: LoadedWorkflow, tools: ToolBox, options: ModelOptions, cache: (any ResponseCache)?) async throws -> AgentAssembly {
        var agents: [String: Agent] = [:]
        var prices = PriceTable.standard
        for workflow in loaded.all {
            for var agent in workflow.agents where agents[agent.name] == nil {
                agent.guardrails = workflow.guardrails(forAgent: agent.name)
                agents[agent.name] = agent
            }
            if let table = workflow.prices { prices = prices.merging(table) }
        }
        guard !agents.isEmpty else { return .none }
        if let file = options.prices { prices = prices.merging(try priceFile(file)) }
        if let model = options.model {
            var reference = try ModelReference(parsing: model)
            if reference.provider == "scripted" { reference.model = URL(fileURLWithPath: reference.model).standardizedFileURL.path }
            for name in agents.keys { agents[name]?.model = .model(reference) }
        }
        // The cassette files first: a replay needs no provider, and a file that cannot be opened
        // fails before any connection exists.
        let player: CassettePlayer?
        let recorder: CassetteRecorder?
        do {
            player = try options.replay.map { try CassettePlayer(path: $0) }
            recorder = try options.record.map { try CassetteRecorder(path: $0) }
        } catch {
            throw CLIError("\(error)")
        }
        let environment = player == nil ? EnvironmentModelResolver(environment: ProcessInfo.processInfo.environment, fallback: ScriptFileResolver()) : nil
        let models: any ModelResolver
        if let player {
            models = player
        } else if let environment {
            models = recorder?.recording(environment) ?? environment
        } else {
            models = ScriptFileResolver()
        }
        let runtime = AgentRuntime(models: models, tools: tools, prices: prices, cache: cache ?? InMemoryResponseCache())
        let assembly = AgentAssembly(runtime: runtime, resolver: environment)
        for agent in agents.values.sorted(by: { $0.name < $1.name }) {
            do {
                try runtime.register(agent)
            } catch {
                await assembly.shutdown()
                throw CLIError("\(error)")
            }
        }
        return assembly
    }

    /// Closes the providers' HTTP client.
    func shutdown() async {
        try? await resolver?.shutdown()
    }

    private static func priceFile(_ path: String) throws -> PriceTable {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CLIError("--prices: cannot read \(path)") }
        do {
            return try PriceTable(json: try WorkflowLoader.json(yaml: text, file: path))
        } catch {
            throw CLIError("--prices: \(path): \(error)")
        }
    }
}
