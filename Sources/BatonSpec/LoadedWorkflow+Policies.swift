import BatonCore

extension LoadedWorkflow {
    /// The findings of the workflow's policies, merged as the engine evaluates them: rules that
    /// never decide, and rules that decide shared actions differently (warnings).
    public var policyFindings: [PolicyFinding] {
        PolicyEngine(workflow.policies).findings()
    }
}
