/// Turns a model reference into the provider that serves it. BatonModels resolves the real
/// providers from the environment; tests and embedders can resolve from a fixed table.
public protocol ModelResolver: Sendable {
    /// The provider for `reference`, or a ``ModelError`` (`unknownModel`, `missingKey`) that says
    /// what is missing.
    func provider(for reference: ModelReference) throws -> any ModelProvider
}

/// A resolver from a fixed table of providers, keyed by the reference's provider name
/// (`scripted`), or by the whole reference (`scripted:triage.yaml`), which wins.
public struct FixedModelResolver: ModelResolver {
    public var providers: [String: any ModelProvider]

    public init(_ providers: [String: any ModelProvider]) {
        self.providers = providers
    }

    public func provider(for reference: ModelReference) throws -> any ModelProvider {
        if let provider = providers[reference.description] ?? providers[reference.provider] { return provider }
        let known = providers.keys.sorted().joined(separator: ", ")
        throw ModelError.unknownModel(reference: reference.description, reason: "no provider is configured for it (configured: \(known.isEmpty ? "none" : known))")
    }
}
