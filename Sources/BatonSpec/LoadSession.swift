import BatonCore

/// One call to the loader: the files loaded so far (so that a file named twice is loaded once
/// and a cycle of files ends), and the diagnostics of every file.
final class LoadSession {
    /// Sub-workflow files may nest this deep.
    static let maximumDepth = 16

    private let loader: WorkflowLoader
    private var done: [String: LoadedWorkflow] = [:]
    private var failed: Set<String> = []
    /// Files being loaded, by absolute path, with their workflow's name once it is read.
    private var loading: [String: String] = [:]
    private var depth = 0
    /// Which file (absolute path, or display name for text) each workflow name came from.
    private var owners: [String: String] = [:]

    init(loader: WorkflowLoader) {
        self.loader = loader
    }

    /// Loads the first file; throws every diagnostic of it and of its sub-workflow files.
    func root(text: String, display: String, location: String?) throws(SpecError) -> LoadedWorkflow {
        let (loaded, diagnostics) = load(text: text, display: display, location: location)
        guard let loaded else { throw SpecError(diagnostics: diagnostics) }
        return loaded
    }

    /// Collects what one file's decoding finds below it.
    private final class Collector {
        var subworkflows: [LoadedWorkflow] = []
        var diagnostics: [Diagnostic] = []
    }

    private func load(text: String, display: String, location: String?) -> (LoadedWorkflow?, [Diagnostic]) {
        let context = DecodeContext(file: display)
        guard let root = YAMLSource.parse(text, context: context) else { return (nil, context.finish()) }
        if let location { loading[location] = "" }
        defer { if let location { loading[location] = nil } }
        let collector = Collector()
        let base = location.map(SourceFiles.directory(of:)) ?? SourceFiles.currentDirectory
        let decoder = WorkflowDecoder(
            context: context, functions: loader.functions, tools: loader.tools, agents: loader.agents, base: base,
            resolveFile: { [unowned self] reference, path, position in
                self.resolve(reference, at: path, position, base: base, parent: display, context: context, into: collector)
            },
            named: { [unowned self] name in
                let owner = location ?? display
                if let other = self.owners[name], other != owner {
                    context.error("name", "'\(other)' is also named '\(name)'; workflows loaded together need distinct names, because workflow nodes and the engine find them by name")
                }
                self.owners[name] = owner
                if let location { self.loading[location] = name }
            }
        )
        let workflow = decoder.decode(root, sourceHash: Hash.sha256Hex(Array(text.utf8)))
        guard let workflow, !context.hasErrors else { return (nil, context.finish() + collector.diagnostics) }
        let stored = StoredWorkflow(
            hash: workflow.contentHash, name: workflow.name, versionLabel: workflow.versionLabel, format: "yaml", source: text, location: location
        )
        let loaded = LoadedWorkflow(
            workflow: workflow, stored: stored, subworkflows: collector.subworkflows, tools: decoder.toolDeclarations,
            mcpServers: decoder.mcpServerDeclarations, agents: decoder.agentDeclarations, prices: decoder.priceTable,
            guardrails: decoder.guardrails.set, agentGuardrails: decoder.guardrails.agents, roles: decoder.roles
        )
        return (loaded, collector.diagnostics)
    }

    private func resolve(
        _ reference: String, at path: String, _ position: Position?, base: String, parent: String, context: DecodeContext, into collector: Collector
    ) -> String? {
        let location = SourceFiles.absolute(reference, relativeTo: base)
        let display = SourceFiles.display(reference, besides: parent)
        if let name = loading[location] {
            if name.isEmpty { context.error(path, at: position, "'\(reference)' refers back to a file whose name is not known yet") }
            return name.isEmpty ? nil : name
        }
        if let loaded = done[location] {
            if !collector.subworkflows.contains(where: { $0.stored.location == location }) { collector.subworkflows.append(loaded) }
            return loaded.workflow.name
        }
        if failed.contains(location) {
            context.error(path, at: position, "the sub-workflow file '\(reference)' has errors (reported under \(display))")
            return nil
        }
        guard depth < Self.maximumDepth else {
            context.error(path, at: position, "sub-workflow files are nested more than \(Self.maximumDepth) deep")
            return nil
        }
        let (text, problems) = SourceFiles.read(location, display: display)
        guard let text else {
            let reason = problems.first?.message ?? "it cannot be read"
            context.error(path, at: position, "cannot load the sub-workflow file '\(reference)' (\(location)): \(reason)")
            if problems.first?.line ?? 1 > 1 { collector.diagnostics += problems }
            failed.insert(location)
            return nil
        }
        depth += 1
        let (loaded, diagnostics) = load(text: text, display: display, location: location)
        depth -= 1
        collector.diagnostics += diagnostics
        guard let loaded else {
            failed.insert(location)
            context.error(path, at: position, "the sub-workflow file '\(reference)' has errors (reported under \(display))")
            return nil
        }
        done[location] = loaded
        collector.subworkflows.append(loaded)
        return loaded.workflow.name
    }
}
