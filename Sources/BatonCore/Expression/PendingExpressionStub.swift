// Temporary stand-in until the expression language lands; replaced in the same session.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var column: Int
    public var reason: String
    public var description: String { reason }
}
public struct Expression: Sendable, Hashable, CustomStringConvertible {
    public let source: String
    public init(_ source: String) throws(ExpressionError) { self.source = source }
    public var description: String { source }
    public func evaluate(in context: JSON) throws(ExpressionError) -> JSON {
        let parts = source.split(separator: " ")
        func value(_ text: Substring) -> JSON {
            if let number = Int(text) { return .int(number) }
            if text == "true" { return true }
            if text == "false" { return false }
            return (try? StatePath(String(text)).value(in: context)) ?? .null
        }
        if parts.count == 3 {
            let (a, b) = (value(parts[0]), value(parts[2]))
            switch parts[1] {
            case "==": return .bool(a == b)
            case "<": return .bool((a.doubleValue ?? 0) < (b.doubleValue ?? 0))
            case ">=": return .bool((a.doubleValue ?? 0) >= (b.doubleValue ?? 0))
            default: return .bool(false)
            }
        }
        return value(Substring(source))
    }
    public func isTrue(in context: JSON) throws(ExpressionError) -> Bool { try evaluate(in: context).isTruthy }
}
