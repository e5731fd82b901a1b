import Foundation
import BatonCore
import Logging

/// Resolves model references to the real providers, configured by environment variables:
///
/// | reference | provider | key | base URL |
/// |---|---|---|---|
/// | `openai:MODEL` | ``OpenAIChatProvider`` (`max_completion_tokens`) | `OPENAI_API_KEY` | `OPENAI_BASE_URL`, else `https://api.openai.com/v1` |
/// | `anthropic:MODEL` | ``AnthropicProvider`` | `ANTHROPIC_API_KEY` | `ANTHROPIC_BASE_URL`, else `https://api.anthropic.com` |
/// | `ollama:MODEL` | ``OpenAIChatProvider`` (`max_tokens`) | none | `OLLAMA_HOST` (else `http://localhost:11434`) + `/v1` |
/// | `openrouter:MODEL` | ``OpenAIChatProvider`` (`max_tokens`) | `OPENROUTER_API_KEY` | `https://openrouter.ai/api/v1` |
/// | `openai-compatible:MODEL@URL` | ``OpenAIChatProvider`` (`max_tokens`) | `OPENAI_COMPATIBLE_API_KEY`, optional | `URL` |
///
/// Any other provider goes to the `fallback` resolver given at creation (the CLI puts the
/// scripted model there); without one it is ``ModelError/unknownModel(reference:reason:)``
/// naming the known providers. A missing key is ``ModelError/missingKey(provider:variable:)``.
///
/// The environment is a dictionary, so that tests and embedders decide what it holds
/// (`ProcessInfo.processInfo.environment` in the CLI). All providers share one
/// ``ModelHTTPClient``: call ``shutdown()`` once the resolver's providers are no longer used.
public final class EnvironmentModelResolver: ModelResolver {
    /// The providers this resolver knows, in the order errors list them.
    public static let providers = ["openai", "anthropic", "ollama", "openrouter", "openai-compatible"]

    /// The HTTP client all resolved providers use.
    public let http: ModelHTTPClient
    private let environment: [String: String]
    private let fallback: (any ModelResolver)?
    private let logger: Logger

    /// A resolver over `environment`; references to other providers go to `fallback`.
    public init(
        environment: [String: String], fallback: (any ModelResolver)? = nil, timeouts: ModelHTTPClient.Timeouts = .init(),
        logger: Logger = Logger(label: "baton.models", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.environment = environment
        self.fallback = fallback
        self.http = ModelHTTPClient(timeouts: timeouts)
        self.logger = logger
    }

    public func provider(for reference: ModelReference) throws -> any ModelProvider {
        switch reference.provider {
        case "openai":
            return OpenAIChatProvider(
                name: "openai", baseURL: try baseURL("OPENAI_BASE_URL", default: "https://api.openai.com/v1", for: reference),
                apiKey: try key("OPENAI_API_KEY", for: "openai"), maxTokensField: .maxCompletionTokens, http: http, logger: logger
            )
        case "anthropic":
            return AnthropicProvider(
                baseURL: try baseURL("ANTHROPIC_BASE_URL", default: "https://api.anthropic.com", for: reference),
                apiKey: try key("ANTHROPIC_API_KEY", for: "anthropic"), http: http, logger: logger
            )
        case "ollama":
            return OpenAIChatProvider(name: "ollama", baseURL: ollamaURL, apiKey: nil, maxTokensField: .maxTokens, http: http, logger: logger)
        case "openrouter":
            return OpenAIChatProvider(
                name: "openrouter", baseURL: "https://openrouter.ai/api/v1", apiKey: try key("OPENROUTER_API_KEY", for: "openrouter"),
                maxTokensField: .maxTokens, http: http, logger: logger
            )
        case "openai-compatible":
            guard let url = reference.baseURL else {
                throw ModelError.unknownModel(reference: reference.description, reason: "write openai-compatible:MODEL@URL, e.g. openai-compatible:qwen2.5@http://localhost:8000/v1")
            }
            try checkURL(url, for: reference)
            return OpenAIChatProvider(
                name: "openai-compatible", baseURL: url, apiKey: value("OPENAI_COMPATIBLE_API_KEY"), maxTokensField: .maxTokens,
                http: http, logger: logger
            )
        default:
            if let fallback { return try fallback.provider(for: reference) }
            throw ModelError.unknownModel(
                reference: reference.description,
                reason: "no provider '\(reference.provider)' (known: \(Self.providers.joined(separator: ", ")))"
            )
        }
    }

    /// Closes the shared HTTP client; the resolved providers cannot be used afterwards.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    private func value(_ variable: String) -> String? {
        environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    private func key(_ variable: String, for provider: String) throws(ModelError) -> String {
        guard let key = value(variable) else { throw ModelError.missingKey(provider: provider, variable: variable) }
        return key
    }

    private func baseURL(_ variable: String, default standard: String, for reference: ModelReference) throws(ModelError) -> String {
        guard let url = value(variable) else { return standard }
        try checkURL(url, for: reference, variable: variable)
        return url
    }

    private func checkURL(_ url: String, for reference: ModelReference, variable: String? = nil) throws(ModelError) {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            let source = variable.map { " (from \($0))" } ?? ""
            throw ModelError.unknownModel(reference: reference.description, reason: "the base URL '\(url)'\(source) must start with http:// or https://")
        }
    }

    /// `OLLAMA_HOST` as Ollama reads it (`host`, `host:port` or a URL; `0.0.0.0` means this
    /// machine), with `/v1`.
    private var ollamaURL: String {
        var host = value("OLLAMA_HOST") ?? "http://localhost:11434"
        if !host.contains("://") { host = "http://" + host }
        if host.hasSuffix("/") { host.removeLast() }
        host = host.replacingOccurrences(of: "://0.0.0.0", with: "://127.0.0.1")
        let authority = host.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first ?? ""
        if !authority.contains(":") { host += ":11434" }
        return host + "/v1"
    }
}
