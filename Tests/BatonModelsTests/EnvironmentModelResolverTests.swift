import BatonCore
import BatonModels
import BatonTesting
import Testing

/// Model references resolve to providers configured by an injected environment.
@Suite struct EnvironmentModelResolverTests {
    /// Resolves `reference` in `environment` and shuts the resolver down.
    static func resolve(_ reference: String, _ environment: [String: String], fallback: (any ModelResolver)? = nil) async throws -> any ModelProvider {
        let resolver = EnvironmentModelResolver(environment: environment, fallback: fallback)
        defer { Task { try? await resolver.shutdown() } }
        return try resolver.provider(for: ModelReference(parsing: reference))
    }

    @Test func eachProviderGetsItsBaseURLAndTokenField() async throws {
        let openai = try #require(try await Self.resolve("openai:gpt-4.1-mini", ["OPENAI_API_KEY": "sk-a"]) as? OpenAIChatProvider)
        #expect(openai.baseURL == "https://api.openai.com/v1")
        #expect(openai.maxTokensField == .maxCompletionTokens)
        let proxied = try #require(try await Self.resolve("openai:gpt-4.1", ["OPENAI_API_KEY": "sk-a", "OPENAI_BASE_URL": "http://proxy:8080/v1/"]) as? OpenAIChatProvider)
        #expect(proxied.baseURL == "http://proxy:8080/v1")
        let anthropic = try #require(try await Self.resolve("anthropic:claude-sonnet-4-5", ["ANTHROPIC_API_KEY": "k"]) as? AnthropicProvider)
        #expect(anthropic.baseURL == "https://api.anthropic.com")
        let ollama = try #require(try await Self.resolve("ollama:llama3.2", [:]) as? OpenAIChatProvider)
        #expect(ollama.baseURL == "http://localhost:11434/v1")
        #expect(ollama.maxTokensField == .maxTokens)
        let host = try #require(try await Self.resolve("ollama:llama3.2", ["OLLAMA_HOST": "0.0.0.0"]) as? OpenAIChatProvider)
        #expect(host.baseURL == "http://127.0.0.1:11434/v1")
        let router = try #require(try await Self.resolve("openrouter:meta-llama/llama-3.3-70b", ["OPENROUTER_API_KEY": "k"]) as? OpenAIChatProvider)
        #expect(router.baseURL == "https://openrouter.ai/api/v1")
        let compatible = try #require(try await Self.resolve("openai-compatible:qwen2.5@http://localhost:8000/v1", [:]) as? OpenAIChatProvider)
        #expect(compatible.baseURL == "http://localhost:8000/v1")
        #expect(compatible.name == "openai-compatible")
    }

    @Test(arguments: [
        ("openai:gpt-4.1", "openai", "OPENAI_API_KEY"), ("anthropic:claude-haiku-4-5", "anthropic", "ANTHROPIC_API_KEY"),
        ("openrouter:x/y", "openrouter", "OPENROUTER_API_KEY"),
    ])
    func aMissingKeyNamesItsVariable(_ reference: String, _ provider: String, _ variable: String) async {
        await #expect(throws: ModelError.missingKey(provider: provider, variable: variable)) {
            _ = try await Self.resolve(reference, ["OPENAI_API_KEY": "", "UNRELATED": "x"])
        }
    }

    @Test func anUnknownProviderGoesToTheFallbackOrNamesTheKnownOnes() async throws {
        let scripted = ReplayStub()
        let provider = try await Self.resolve("scripted:triage.yaml", [:], fallback: FixedModelResolver(["scripted": scripted]))
        #expect(provider.name == "stub")
        await #expect {
            _ = try await Self.resolve("mistral:large", [:])
        } throws: { error in
            guard case let .unknownModel(reference, reason)? = error as? ModelError else { return false }
            return reference == "mistral:large" && reason.contains("openai, anthropic, ollama, openrouter, openai-compatible")
        }
    }

    @Test func aBaseURLWithoutAScheme() async {
        await #expect {
            _ = try await Self.resolve("openai:gpt-4.1", ["OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "api.example.com/v1"])
        } throws: { error in
            guard case let .unknownModel(_, reason)? = error as? ModelError else { return false }
            return reason.contains("OPENAI_BASE_URL")
        }
    }
}

/// A provider that is never called.
struct ReplayStub: ModelProvider {
    var name: String { "stub" }
    func complete(_ request: ModelRequest) async throws -> ModelResponse { ModelResponse(text: "") }
}
