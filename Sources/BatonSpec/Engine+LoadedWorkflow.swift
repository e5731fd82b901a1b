import BatonCore
import Synchronization

extension Engine {
    /// An engine that can resume runs of YAML workflows it has not seen: it loads their stored
    /// documents again with `workflows`, and registers the sub-workflow files they name, so that
    /// a resumed run can still start its child runs.
    ///
    /// ```swift
    /// let engine = Engine(store: store, workflows: WorkflowLoader(functions: functions))
    /// try await engine.signal(runID, name: "approval", payload: ["approved": true])
    /// ```
    public convenience init(
        store: any Store, options: EngineOptions = EngineOptions(), tools: (any ToolInvoker)? = nil, agents: (any AgentInvoker)? = nil,
        workflows loader: WorkflowLoader
    ) {
        let reference = EngineReference()
        self.init(store: store, options: options, tools: tools, agents: agents, loader: { stored in
            let loaded = try loader.loadDocument(stored)
            if let engine = reference.engine {
                for sub in loaded.all.dropFirst() { engine.register(sub.workflow) }
            }
            return loaded.workflow
        })
        reference.engine = self
    }

    /// Makes a loaded workflow and all its sub-workflows known to the engine (by name, for
    /// `workflow` nodes, and by version), and stores their YAML documents so that their runs can
    /// resume in another process (see ``init(store:options:tools:agents:workflows:)``).
    public func prepare(_ loaded: LoadedWorkflow) async throws {
        for each in loaded.all.reversed() {
            try await prepare(each.workflow, source: each.stored)
        }
    }

    /// Prepares `loaded` (see ``prepare(_:)``), then runs it on `input` until it finishes or parks.
    public func run(_ loaded: LoadedWorkflow, input: JSON = [:], id: RunID? = nil) async throws -> RunResult {
        try await prepare(loaded)
        return try await run(loaded.workflow, input: input, id: id)
    }
}

/// A weak, thread-safe reference from an engine's loader closure back to the engine.
private final class EngineReference: Sendable {
    private struct Weak: ~Copyable {
        weak var engine: Engine?
    }

    private let storage = Mutex(Weak())

    var engine: Engine? {
        get { storage.withLock { $0.engine } }
        set { storage.withLock { $0.engine = newValue } }
    }
}
