/// A tool under a contract other than its own: renamed, or with a workflow's changes to its
/// timeout, retries, risk, fallback or limits. Calls go to the tool unchanged.
public struct AdjustedTool: Tool {
    public let contract: ToolContract
    public let base: any Tool

    public init(_ base: any Tool, contract: ToolContract) {
        self.base = base
        self.contract = contract
    }

    public func call(_ arguments: JSON, context: ToolContext) async throws -> JSON {
        try await base.call(arguments, context: context)
    }
}
