import BatonCore
import Testing

extension ToolBox {
    /// Calls `name` expecting it to fail; the error, or `nil` (and a recorded issue) if it succeeded.
    func failure(_ name: String, _ arguments: JSON, sourceLocation: SourceLocation = #_sourceLocation) async -> ToolError? {
        do {
            let result = try await call(name, arguments: arguments)
            Issue.record("expected \(name) to fail, it returned \(result.canonicalString)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}

extension ToolError {
    /// True for ``ToolError/invalidArguments(tool:errors:)``: the schema refused the call.
    var isInvalidArguments: Bool {
        if case .invalidArguments = self { return true }
        return false
    }
}
