/// How an agent's summarised conversation is marked (a soft limit with action `summarize`): the
/// summary request names the agent with a suffix (`triage/summary`), and the summary, appended to
/// the prompt, says how many turns it stands for. Providers' logs tell the two apart, and the
/// scripted model counts the turns a summary stands for as turns already answered.
public enum AgentSummary {
    /// Appended to the agent's name in the request that asks for the summary.
    public static let agentSuffix = "/summary"

    /// The heading of a summary that stands for an agent's first `turns` turns.
    public static func heading(turns: Int) -> String { "Summary of your first \(turns) turns" }

    /// The turns a summary in `text` stands for, if `text` holds one.
    public static func turns(in text: String) -> Int? {
        guard let range = text.range(of: "Summary of your first ") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
