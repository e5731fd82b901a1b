/// Makes one model call for an agent: the models of its choice from `level` on, each retried by
/// the agent's ``ModelRetryPolicy``, the next one after a provider keeps failing; the response
/// cache when the agent opts in; the cost from the runtime's prices.
///
/// It returns the journal's record of the call: the response's members plus `reference` (the
/// model that answered), `cost_usd` (`null` when its price is unknown) and, for an answer from
/// the cache, `"cache": "hit"`.
struct ModelCaller: Sendable {
    let runtime: AgentRuntime
    let agent: Agent
    /// The price of each model of the agent's choice (`nil`: unknown).
    let prices: [ModelPrice?]
    let context: StepContext

    func call(_ request: ModelRequest, from level: Int) async throws -> JSON {
        let references = agent.model.references
        var lastError: ModelError?
        for index in level..<references.count {
            let reference = references[index]
            if index > level, let lastError {
                context.record(.modelRouted, [
                    "agent": .string(agent.name), "from": .string(references[index - 1].description), "to": .string(reference.description),
                    "reason": "provider_error", "error": lastError.json,
                ])
            }
            var routed = request
            routed.model = reference.model
            do {
                return try await answer(routed, reference: reference, price: prices[index])
            } catch let error as ModelError {
                lastError = error
                if !error.allowsFallback { break }
            }
        }
        let failure = lastError ?? .unknownModel(reference: agent.model.references.first?.description ?? "", reason: "no model to try")
        throw AgentError.modelFailed(agent: agent.name, error: failure)
    }

    /// The answer of one model: from the cache, or from its provider with retries.
    private func answer(_ request: ModelRequest, reference: ModelReference, price: ModelPrice?) async throws -> JSON {
        let cacheKey: String? = agent.cache?.models == true && runtime.cache != nil ? CacheKey.modelKey(reference, request) : nil
        if let cacheKey, let cache = runtime.cache {
            if let hit = try? await cache.cached(cacheKey), case var .object(record) = hit {
                context.record(.cacheHit, ["kind": "model", "agent": .string(agent.name), "key": .string(cacheKey), "reference": .string(reference.description)])
                record["cache"] = "hit"
                record["cost_usd"] = .double(0)
                return .object(record)
            }
            context.record(.cacheMiss, ["kind": "model", "agent": .string(agent.name), "key": .string(cacheKey), "reference": .string(reference.description)])
        }
        let provider: any ModelProvider
        do {
            provider = try runtime.models.provider(for: reference)
        } catch {
            let failure = error as? ModelError ?? .unknownModel(reference: reference.description, reason: "\(error)")
            context.record(.modelFailed, failureData(failure, reference: reference, attempt: 1, retryIn: nil))
            throw failure
        }
        var attempt = 1
        while true {
            let started = ContinuousClock.now
            do {
                let response = try await withTimeout(agent.modelTimeout) { try await provider.complete(request) }
                var record = response.json.objectValue ?? [:]
                if response.latencyMilliseconds == 0 {
                    record["latency_ms"] = .int(Int((ContinuousClock.now - started).seconds * 1000))
                }
                record["reference"] = .string(reference.description)
                record["cost_usd"] = price.map { .double($0.cost(of: response.usage)) } ?? .null
                if attempt > 1 { record["attempt"] = .int(attempt) }
                if let cacheKey, let cache = runtime.cache, let ttl = agent.cache?.ttl {
                    try? await cache.store(.object(record), under: cacheKey, ttl: ttl)
                }
                return .object(record)
            } catch {
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                let failure = Self.modelError(error, provider: provider.name, timeout: agent.modelTimeout)
                let delay = agent.retry.delay(after: failure, attempt: attempt, random: Double.random(in: 0..<1))
                context.record(.modelFailed, failureData(failure, reference: reference, attempt: attempt, retryIn: delay))
                guard let delay else { throw failure }
                try await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }

    private func failureData(_ error: ModelError, reference: ModelReference, attempt: Int, retryIn: Duration?) -> JSON {
        var members: [String: JSON] = [
            "agent": .string(agent.name), "reference": .string(reference.description), "attempt": .int(attempt), "error": error.json,
            "will_retry": .bool(retryIn != nil),
        ]
        if let retryIn { members["retry_in_ms"] = .int(Int(retryIn.seconds * 1000)) }
        return .object(members)
    }

    /// Any failure of a provider call as a ``ModelError``: the engine's timeout becomes
    /// ``ModelError/timeout(provider:after:)``; an error of another kind (a cassette without the
    /// request, a provider that breaks the contract) is not retried: it becomes
    /// ``ModelError/badRequest(provider:status:message:)`` with its description.
    static func modelError(_ error: any Error, provider: String, timeout: Duration) -> ModelError {
        if let error = error as? ModelError { return error }
        if let error = error as? NodeError, error.code == "timeout" { return .timeout(provider: provider, after: timeout) }
        return .badRequest(provider: provider, status: 0, message: "\(error)")
    }
}
