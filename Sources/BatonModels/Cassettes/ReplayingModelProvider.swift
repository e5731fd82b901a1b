import BatonCore

/// A provider that answers from a cassette, offline (see ``CassettePlayer``). Streaming yields
/// the recorded response as deltas.
public struct ReplayingModelProvider: ModelProvider {
    public let name: String
    private let player: CassettePlayer

    /// A provider called `name` that answers from `player`'s cassette.
    public init(name: String, player: CassettePlayer) {
        self.name = name
        self.player = player
    }

    public func complete(_ request: ModelRequest) async throws -> ModelResponse {
        try player.next(for: request).get()
    }
}
