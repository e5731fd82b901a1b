/// What is about to happen, as a policy sees it: an operation (a model call, a tool call, a
/// memory read or write, a hand-off, an outbound HTTP request), its arguments, and the context
/// the run is in (the share of its budget used, its input).
///
/// ```swift
/// let action = PolicyAction(
///     .toolCall(name: "refund", risk: .high, effect: .sideEffecting),
///     arguments: ["amount": 250, "card": ["number": "4111 1111 1111 1111"]],
///     context: PolicyContext(budget: BudgetShare(cost: 0.4))
/// )
/// ```
public struct PolicyAction: Sendable, Hashable {
    /// The kinds of operation, as rules name them (`tool`, `memory_write`, …).
    public enum Kind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case model
        case tool
        case memoryRead = "memory_read"
        case memoryWrite = "memory_write"
        case handoff
        case http

        /// What the name of an operation of this kind names, for messages.
        public var nameMeaning: String {
            switch self {
            case .model: return "model"
            case .tool: return "tool"
            case .memoryRead, .memoryWrite: return "namespace"
            case .handoff: return "target agent"
            case .http: return "host"
            }
        }

        /// The position of the kind in ``allCases``, for tables indexed by kind.
        var number: Int {
            switch self {
            case .model: return 0
            case .tool: return 1
            case .memoryRead: return 2
            case .memoryWrite: return 3
            case .handoff: return 4
            case .http: return 5
            }
        }

        public var description: String { rawValue }
    }

    /// One operation and what names it.
    public enum Operation: Sendable, Hashable {
        /// A call of a model, named by its reference (`openai:gpt-4.1-mini`).
        case modelCall(model: String)
        /// A call of a tool, with its contract's risk and effect.
        case toolCall(name: String, risk: ToolRisk, effect: ToolEffect)
        /// A read from a memory namespace.
        case memoryRead(namespace: String)
        /// A write to a memory namespace.
        case memoryWrite(namespace: String)
        /// A transfer of the conversation to another agent.
        case handoff(to: String)
        /// A request to a host outside the process; the host is compared in lower case.
        case outboundHTTP(host: String)

        /// The kind of the operation.
        public var kind: Kind {
            switch self {
            case .modelCall: return .model
            case .toolCall: return .tool
            case .memoryRead: return .memoryRead
            case .memoryWrite: return .memoryWrite
            case .handoff: return .handoff
            case .outboundHTTP: return .http
            }
        }

        /// The model, tool, namespace, target agent or (lower-cased) host.
        public var name: String {
            switch self {
            case let .modelCall(name), let .toolCall(name, _, _), let .memoryRead(name), let .memoryWrite(name), let .handoff(name):
                return name
            case let .outboundHTTP(host):
                return host.lowercased()
            }
        }
    }

    /// What happens.
    public let operation: Operation
    /// ``Operation/kind``, kept.
    public let kind: Kind
    /// ``Operation/name``, kept.
    public let name: String
    /// The arguments (a tool's arguments, a memory write's value, a request's method and path):
    /// `arguments` in predicates, and what `redact` rules redact.
    public var arguments: JSON
    /// The run's situation.
    public var context: PolicyContext

    /// An action: `operation`, with its arguments, in `context`.
    public init(_ operation: Operation, arguments: JSON = [:], context: PolicyContext = PolicyContext()) {
        self.operation = operation
        self.kind = operation.kind
        self.name = operation.name
        self.arguments = arguments
        self.context = context
    }

    /// The action as predicates see it: `{kind, name}`, and for a tool call `risk` and `effect`.
    public var json: JSON {
        var members: [String: JSON] = ["kind": .string(kind.rawValue), "name": .string(name)]
        if case let .toolCall(_, risk, effect) = operation {
            members["risk"] = .string(risk.rawValue)
            members["effect"] = .string(effect.rawValue)
        }
        return .object(members)
    }
}
