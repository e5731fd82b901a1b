import BatonCore
import Synchronization

/// The tools of one MCP server, kept in a ``ToolBox`` as `SERVER.TOOL`.
///
/// ```swift
/// let time = MCPToolSource(MCPServerConfiguration(name: "time", transport: .stdio(command: "python3", arguments: ["-m", "mcp_server_time"])))
/// let registered = try await time.attach(to: tools)   // ["time.convert_time", "time.get_current_time"]
/// ```
///
/// When the server announces that its tools changed, they are listed again and the tool box is
/// brought up to date: new tools added, changed ones replaced, removed ones removed. A tool whose
/// schemas Baton's validator cannot compile is left out, and ``skipped`` says why.
public final class MCPToolSource: Sendable {
    public let configuration: MCPServerConfiguration
    public let connection: MCPServerConnection
    private let state: Mutex<State>

    private struct State {
        var box: ToolBox?
        var adjust: (@Sendable (ToolContract) -> ToolContract)?
        var registered: Set<String> = []
        var skipped: [String: String] = [:]
        /// The server's recent standard error lines, and how many were ever written.
        var stderr: [String] = []
        var stderrCount = 0
    }

    /// Standard error lines kept for events.
    static let keptLines = 200

    public init(_ configuration: MCPServerConfiguration) {
        self.configuration = configuration
        state = Mutex(State())
        let source = WeakBox<MCPToolSource>()
        connection = MCPServerConnection(configuration) { event in source.value?.handle(event) }
        source.value = self
    }

    private func handle(_ event: MCPServerEvent) {
        switch event {
        case let .stderr(line):
            state.withLock { state in
                state.stderr.append(line)
                state.stderrCount += 1
                if state.stderr.count > Self.keptLines { state.stderr.removeFirst(state.stderr.count - Self.keptLines) }
            }
        case let .toolsChanged(descriptors):
            update(descriptors)
        case .started, .stopped, .restarting:
            break
        }
    }

    /// Starts the server and registers its tools in `box`, each contract passed through `adjust`
    /// (a workflow's overrides); returns the names registered.
    @discardableResult
    public func attach(to box: ToolBox, adjust: (@Sendable (ToolContract) -> ToolContract)? = nil) async throws(MCPClientError) -> [String] {
        state.withLock {
            $0.box = box
            $0.adjust = adjust
        }
        try await connection.start()
        update(try await connection.tools())
        return state.withLock { $0.registered.sorted() }
    }

    /// Tools the server offers that could not be registered, with the reason.
    public var skipped: [String: String] {
        state.withLock { $0.skipped }
    }

    /// Stops the server.
    public func shutdown() async {
        await connection.shutdown()
    }

    /// Brings the tool box up to date with the server's current tools.
    func update(_ descriptors: [MCPToolDescriptor]) {
        guard let (box, adjust) = state.withLock({ state in state.box.map { ($0, state.adjust) } }) else { return }
        var registered: Set<String> = []
        var skipped: [String: String] = [:]
        for descriptor in descriptors {
            var contract = MCPTool.contract(for: descriptor, server: configuration.name, timeout: configuration.callTimeout)
            if let adjust { contract = adjust(contract) }
            do {
                try box.register(MCPTool(contract: contract, remoteName: descriptor.name, source: self))
                registered.insert(contract.name)
            } catch {
                skipped[descriptor.name] = error.message
            }
        }
        let previous = state.withLock { state in
            defer {
                state.registered = registered
                state.skipped = skipped
            }
            return state.registered
        }
        for gone in previous.subtracting(registered) { box.remove(gone) }
    }

    /// How many standard error lines the server has written so far.
    func stderrMark() -> Int {
        state.withLock { $0.stderrCount }
    }

    /// The lines written since `mark` (as many as are still kept).
    func stderr(since mark: Int) -> [String] {
        state.withLock { state in
            let new = min(state.stderrCount - mark, state.stderr.count)
            return new > 0 ? Array(state.stderr.suffix(new)) : []
        }
    }
}

/// A weak reference that a `Sendable` closure can hold, set once its target exists.
private final class WeakBox<Object: AnyObject & Sendable>: Sendable {
    private let reference = Mutex<Reference>(Reference())

    private struct Reference: @unchecked Sendable {
        weak var object: Object?
    }

    var value: Object? {
        get { reference.withLock { $0.object } }
        set { reference.withLock { $0.object = newValue } }
    }
}
