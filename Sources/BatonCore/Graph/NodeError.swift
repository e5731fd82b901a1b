/// Why a node attempt failed: a code that retry policies match on, a message a person (or a model)
/// can act on, and whether trying again could help.
///
/// Throw a `NodeError` from a function node to control retries; any other error becomes a
/// retryable `NodeError` whose code is the error's type name.
public struct NodeError: Error, Sendable, Codable, Hashable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var retryable: Bool

    public init(code: String, message: String, retryable: Bool = true) {
        self.code = code
        self.message = message
        self.retryable = retryable
    }

    public var description: String { "\(code): \(message)" }

    /// Wraps any error thrown by node code.
    public init(wrapping error: any Error) {
        if let nodeError = error as? NodeError {
            self = nodeError
        } else if let convertible = error as? any NodeErrorConvertible {
            self = convertible.nodeError
        } else {
            self.init(code: String(describing: type(of: error)), message: "\(error)", retryable: true)
        }
    }

    /// The attempt ran longer than the node's timeout.
    public static func timeout(_ limit: Duration) -> NodeError {
        NodeError(code: "timeout", message: "the attempt did not finish within \(limit.seconds) s", retryable: true)
    }

    /// The output did not meet the node's success criterion.
    public static func criterionFailed(_ reason: String) -> NodeError {
        NodeError(code: "success_criterion_failed", message: "the output does not meet the node's success criterion: \(reason)", retryable: true)
    }

}

/// An error type that knows how it should look as a ``NodeError`` (its code and retryability).
public protocol NodeErrorConvertible: Error {
    var nodeError: NodeError { get }
}
