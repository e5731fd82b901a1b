import BatonCore

/// What a served tool answers to one call: a structured result, or an error the caller can read.
public enum MCPToolAnswer: Sendable, Hashable {
    /// The call succeeded; `JSON` becomes the result's structured content (and its text).
    case result(JSON)
    /// The call failed for a reason the caller should see; it becomes a result with `isError: true`.
    case error(String)
}
