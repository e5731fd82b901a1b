import BatonCore

/// A provider that answers as the provider it wraps and records each exchange (the response, or
/// the ``ModelError``) into a ``CassetteRecorder``. A streamed answer is recorded whole, as its
/// deltas assemble. Made by ``CassetteRecorder/recording(_:)-(ModelProvider)``.
///
/// If the cassette cannot be written, the call fails with ``CassetteError/unwritable(file:reason:)``
/// after the wrapped provider answered: a recording with holes would not replay.
public struct RecordingModelProvider: ModelProvider {
    /// The provider that answers.
    public let wrapped: any ModelProvider
    private let recorder: CassetteRecorder

    init(wrapping provider: any ModelProvider, recorder: CassetteRecorder) {
        self.wrapped = provider
        self.recorder = recorder
    }

    public var name: String { wrapped.name }

    public func complete(_ request: ModelRequest) async throws -> ModelResponse {
        let response: ModelResponse
        do {
            response = try await wrapped.complete(request)
        } catch let error as ModelError {
            try record(request, .failure(error))
            throw error
        }
        try record(request, .success(response))
        return response
    }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<ModelDelta, any Error> {
        let deltas = wrapped.stream(request)
        return AsyncThrowingStream { continuation in
            let task = Task {
                let started = ContinuousClock.now
                var assembler = ModelStreamAssembler()
                do {
                    for try await delta in deltas {
                        assembler.add(delta)
                        continuation.yield(delta)
                    }
                    try record(request, .success(assembler.response(latencyMilliseconds: (ContinuousClock.now - started).wholeMilliseconds)))
                    continuation.finish()
                } catch let error as ModelError {
                    do {
                        try record(request, .failure(error))
                        continuation.finish(throwing: error)
                    } catch {
                        continuation.finish(throwing: error)
                    }
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func record(_ request: ModelRequest, _ outcome: Result<ModelResponse, ModelError>) throws(CassetteError) {
        try recorder.append(CassetteEntry(provider: name, request: request.json, outcome: outcome))
    }
}
