extension ToolContract {
    /// The contract of a ledger tool (`ledger.append`, on a file or a table): any object in,
    /// `{"recorded": Bool, …}` out, side-effecting (never retried automatically, always journaled
    /// and keyed), so that each call is recorded once per idempotency key.
    public static func ledger(name: String, description: String, risk: ToolRisk) -> ToolContract {
        ToolContract(
            name: name, description: description,
            inputSchema: ["type": "object"],
            outputSchema: ["type": "object", "required": ["recorded"], "properties": ["recorded": ["type": "boolean"]]],
            effect: .sideEffecting, risk: risk
        )
    }
}
