import BatonCore

/// The Swift code a YAML workflow may call by name: functions for `function` nodes, and custom
/// reducers for state keys.
///
/// ```swift
/// var functions = FunctionRegistry()
/// functions.register("fix_bug") { context in ["patch": "…"] }
/// functions.register(reducer: CustomReducer(name: "maximum") { current, update in
///     guard let current, let a = current.doubleValue, let b = update.doubleValue else { return update }
///     return a >= b ? current : update
/// })
/// let loader = WorkflowLoader(functions: functions)
/// ```
///
/// A name that a workflow uses but the registry lacks is a load error, not a run-time one.
public struct FunctionRegistry: Sendable {
    /// A function node's body.
    public typealias Function = @Sendable (StepContext) async throws -> JSON

    private(set) var functions: [String: Function] = [:]
    private(set) var reducers: [String: CustomReducer] = [:]

    public init() {}

    /// Registers `body` as the function `name`; a second registration of a name replaces the first.
    public mutating func register(_ name: String, _ body: @escaping Function) {
        functions[name] = body
    }

    /// Registers a custom reducer under its name. The built-in names (`replace`, `append`,
    /// `merge`, `sum`) always mean the built-in reducers.
    public mutating func register(reducer: CustomReducer) {
        reducers[reducer.name] = reducer
    }

    /// The function registered as `name`.
    public func function(_ name: String) -> Function? { functions[name] }

    /// The custom reducer registered as `name`.
    public func reducer(_ name: String) -> CustomReducer? { reducers[name] }

    /// The names of the registered functions, sorted.
    public var functionNames: [String] { functions.keys.sorted() }

    /// The names of the registered custom reducers, sorted.
    public var reducerNames: [String] { reducers.keys.sorted() }
}
