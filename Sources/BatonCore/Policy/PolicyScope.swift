/// What the predicates of a rule (its `when:` expressions) can read.
///
/// | name | value |
/// |---|---|
/// | `arguments` | the action's arguments (``PolicyAction/arguments``) |
/// | `subject` | `{agent, role, workflow, environment, tags}` (``PolicySubject/json``) |
/// | `action` | `{kind, name}`, and for a tool call `risk` and `effect` (``PolicyAction/json``) |
/// | `budget` | `{tokens, cost, steps, tool_calls}`, each the share used, 0 to 1 (``BudgetShare/json``) |
/// | `input` | the run's input (``PolicyContext/input``) |
/// | `result` | after the action only: its result |
///
/// The scope is built only when a rule that matched so far has a predicate, and holds only the
/// names some rule of the engine reads.
public enum PolicyScope {
    /// The names a predicate of a rule of `stage` may read.
    public static func names(for stage: PolicyStage) -> [String] {
        stage == .after ? Root.allCases.map(\.rawValue) : Root.allCases.filter { $0 != .result }.map(\.rawValue)
    }

    enum Root: String, CaseIterable {
        case arguments, subject, action, budget, input, result

        var bit: UInt8 {
            switch self {
            case .arguments: return 1
            case .subject: return 2
            case .action: return 4
            case .budget: return 8
            case .input: return 16
            case .result: return 32
            }
        }
    }

    /// A set of ``Root``s.
    struct Roots: Sendable {
        var bits: UInt8 = 0

        /// The roots `expressions` read.
        init(_ expressions: some Sequence<Expression>) {
            for expression in expressions {
                for name in expression.referencedRoots { if let root = Root(rawValue: name) { bits |= root.bit } }
            }
        }

        func contains(_ root: Root) -> Bool { bits & root.bit != 0 }
    }

    /// The scope object with the `roots` that are read.
    static func build(_ roots: Roots, subject: PolicySubject, action: PolicyAction, result: JSON?) -> JSON {
        var members = [String: JSON](minimumCapacity: 6)
        if roots.contains(.arguments) { members["arguments"] = action.arguments }
        if roots.contains(.subject) { members["subject"] = subject.json }
        if roots.contains(.action) { members["action"] = action.json }
        if roots.contains(.budget) { members["budget"] = action.context.budget.json }
        if roots.contains(.input) { members["input"] = action.context.input }
        if roots.contains(.result) { members["result"] = result ?? .null }
        return .object(members)
    }
}
