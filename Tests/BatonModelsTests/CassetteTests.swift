import BatonCore
import BatonModels
import BatonTesting
import Foundation
import Testing

/// Recording real exchanges to a cassette and playing them back offline.
@Suite struct CassetteTests {
    static func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("baton-cassette-\(UUID().uuidString).jsonl").path
    }

    /// A provider that answers each request with a numbered text, and fails on "fail".
    final class Counting: ModelProvider, @unchecked Sendable {
        var name: String { "counting" }
        private let lock = NSLock()
        private var count = 0
        func complete(_ request: ModelRequest) async throws -> ModelResponse {
            if request.messages.last?.content == "fail" {
                throw ModelError.rateLimited(provider: "counting", retryAfter: .milliseconds(1500), message: "slow down")
            }
            let number = lock.withLock { count += 1; return count }
            return ModelResponse(
                text: "answer \(number)", toolCalls: number == 2 ? [ModelToolCall(id: "c1", name: "add", arguments: #"{"a":1}"#)] : [],
                usage: TokenUsage(input: 10, output: number, cached: 2), model: "counting-1", latencyMilliseconds: 5
            )
        }
    }

    @Test func recordedExchangesReplayInOrderOfflineWithErrors() async throws {
        let path = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let question = ModelRequest(model: "m", messages: [.user("Q")], tools: [weatherTool], temperature: 0)
        let other = ModelRequest(model: "m", messages: [.user("other")])
        let failing = ModelRequest(model: "m", messages: [.user("fail")])
        var recorded: [ModelResponse] = []
        do {
            let recorder = try CassetteRecorder(path: path)
            let provider = recorder.recording(Counting())
            recorded.append(try await provider.complete(question))
            recorded.append(try await provider.complete(other))
            recorded.append(try await collect(provider.stream(question)).response)
            await #expect(throws: ModelError.self) { _ = try await provider.complete(failing) }
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 4)

        let player = try CassettePlayer(path: path)
        let replay = try player.provider(for: ModelReference(parsing: "openai:m"))
        #expect(try await replay.complete(question) == recorded[0])
        #expect(try await collect(replay.stream(question)).response.text == recorded[2].text)
        #expect(try await replay.complete(other) == recorded[1])
        await #expect(throws: ModelError.rateLimited(provider: "counting", retryAfter: .milliseconds(1500), message: "slow down")) {
            _ = try await replay.complete(failing)
        }
        await #expect {
            _ = try await replay.complete(question)
        } throws: { error in
            guard case .requestReplayedTooOften(_, "m", 2)? = error as? CassetteError else { return false }
            return true
        }
        await #expect {
            _ = try await replay.complete(ModelRequest(model: "m", messages: [.user("never asked")]))
        } throws: { error in
            guard case let .requestNotRecorded(file, _, lastMessage, recordedCount)? = error as? CassetteError else { return false }
            return file == path && lastMessage == "never asked" && recordedCount == 4 && "\(error)".contains("--record")
        }
    }

    @Test func aRecordingHoldsNoKeyOrHeader() async throws {
        let path = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withModelServer({ _ in (try? Fixture.json("openai-chat-text.json")) ?? [] }) { server, http in
            let recorder = try CassetteRecorder(path: path)
            _ = try await recorder.recording(server.openAI(http)).complete(ModelRequest(model: "gpt-4.1", messages: [.user("Hello")]))
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("Hello! How can I assist you today?"))
        #expect(!text.contains("SECRET"))
        #expect(!text.lowercased().contains("authorization"))
    }

    @Test func aResolverRecordsEveryProviderItResolves() async throws {
        let path = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let recorder = try CassetteRecorder(path: path)
        let resolver = recorder.recording(FixedModelResolver(["counting": Counting()]))
        _ = try await resolver.provider(for: ModelReference(parsing: "counting:m")).complete(ModelRequest(model: "m", messages: [.user("Q")]))
        let line = try #require(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").first)
        let entry = try JSON(parsing: String(line))
        #expect(entry["provider"] == "counting")
        #expect(entry["request"] == ModelRequest(model: "m", messages: [.user("Q")]).json)
        #expect(entry["response"]?["text"] == "answer 1")
    }

    @Test func anUnreadableCassetteNamesItsLine() throws {
        let path = Self.temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "{\"request\": {\"model\": \"m\"}, \"response\": {\"text\": \"ok\"}}\nnot json\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try CassettePlayer(path: path)
        } throws: { error in
            guard case .unreadable(_, 2, _)? = error as? CassetteError else { return false }
            return true
        }
        #expect(throws: CassetteError.self) { _ = try CassettePlayer(path: path + ".missing") }
    }
}
