import BatonCore

/// Loads YAML workflow files (format v1) into validated ``Workflow`` values, the same values
/// ``WorkflowBuilder`` builds in Swift.
///
/// ```swift
/// var functions = FunctionRegistry()
/// functions.register("fix_bug") { context in ["patch": "…"] }
/// let loader = WorkflowLoader(functions: functions)
/// let loaded = try loader.load(file: "triage.yaml")
/// let engine = Engine(store: InMemoryStore(), loader: loader.load(stored:))
/// let result = try await engine.run(loaded, input: ["ticket": ["kind": "bug"]])
/// ```
///
/// Every problem is reported at once as a ``SpecError`` whose diagnostics name the file, line,
/// column and key path. Loading is synchronous and touches only the files it is given and the
/// sub-workflow files they name; it is safe on hostile input (size, nesting and aliases are bounded).
public struct WorkflowLoader: Sendable {
    /// The Swift functions and custom reducers that workflows may name.
    public var functions: FunctionRegistry
    /// When set, `tool` nodes must name a tool it has.
    public var tools: (any ToolInvoker)?
    /// When set, `agent` nodes must name an agent it has.
    public var agents: (any AgentInvoker)?

    public init(functions: FunctionRegistry = FunctionRegistry(), tools: (any ToolInvoker)? = nil, agents: (any AgentInvoker)? = nil) {
        self.functions = functions
        self.tools = tools
        self.agents = agents
    }

    /// Reads and loads the file at `path` (relative paths are relative to the current directory),
    /// and every sub-workflow file it names, relative to its own directory.
    public func load(file path: String) throws(SpecError) -> LoadedWorkflow {
        let session = LoadSession(loader: self)
        let location = SourceFiles.absolute(path)
        let (text, problems) = SourceFiles.read(location, display: path)
        guard let text else { throw SpecError(diagnostics: problems) }
        return try session.root(text: text, display: path, location: location)
    }

    /// Loads a workflow from YAML text. `file` names it in diagnostics; when it is a path, it is
    /// also where sub-workflow files are looked up (else the current directory is).
    public func load(yaml text: String, file: String = "<input>") throws(SpecError) -> LoadedWorkflow {
        let session = LoadSession(loader: self)
        let location = file.hasPrefix("<") ? nil : SourceFiles.absolute(file)
        return try session.root(text: text, display: file, location: location)
    }

    /// Loads a stored YAML document again, for the engine to resume its runs: pass
    /// `loader.load(stored:)` as `Engine(loader:)`, or use `Engine(store:workflows:)`, which also
    /// registers the sub-workflow files. Sub-workflow files are looked up relative to
    /// `stored.location`. Throws ``SpecError``.
    public func load(stored: StoredWorkflow) throws -> Workflow {
        try loadDocument(stored).workflow
    }

    /// Loads a stored YAML document again, with its sub-workflow files.
    public func loadDocument(_ stored: StoredWorkflow) throws(SpecError) -> LoadedWorkflow {
        let display = stored.location ?? "<stored \(stored.name)>"
        guard stored.format == "yaml" else {
            throw SpecError(diagnostics: [Diagnostic(
                file: display, line: 1, column: 1, path: "",
                message: "the stored workflow '\(stored.name)' has format '\(stored.format)', not 'yaml'; register it with the engine instead"
            )])
        }
        return try LoadSession(loader: self).root(text: stored.source, display: display, location: stored.location)
    }

    /// The YAML document as JSON, after the loader's safety checks (size, aliases, syntax) but
    /// before any workflow check: for schema checks, editors and tools that print a workflow.
    public static func json(yaml text: String, file: String = "<input>") throws(SpecError) -> JSON {
        let context = DecodeContext(file: file)
        guard let root = YAMLSource.parse(text, context: context), let json = context.json(root, at: "") else {
            throw SpecError(diagnostics: context.finish())
        }
        return json
    }
}
