import BatonCore
import Foundation
import Synchronization

/// Plays a cassette back (`--replay FILE`): answers model requests from the exchanges a
/// ``CassetteRecorder`` wrote, offline, without any key.
///
/// A request is matched by its canonical text (``ModelRequest/json``): the model, every message,
/// tool and parameter must be what was recorded. Identical requests get their recorded answers in
/// the order they were recorded; a recorded error is thrown again. A request that is not in the
/// cassette, or asked more often than recorded, is a ``CassetteError`` that says so.
///
/// As a ``ModelResolver`` it serves every model reference from the cassette.
public final class CassettePlayer: ModelResolver {
    /// The cassette file.
    public let path: String
    /// The recorded outcomes not yet played, by canonical request, in recorded order.
    private let remaining: Mutex<[String: ArraySlice<Result<ModelResponse, ModelError>>]>
    private let recordedCounts: [String: Int]

    /// Reads the cassette at `path`.
    public init(path: String) throws(CassetteError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CassetteError.unreadable(file: path, line: 0, reason: "the file cannot be read (does it exist?)")
        }
        var outcomes: [String: [Result<ModelResponse, ModelError>]] = [:]
        for (number, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
            do {
                let entry = try CassetteEntry(json: try JSON(parsing: Array(line)))
                outcomes[entry.request.canonicalString, default: []].append(entry.outcome)
            } catch let error as CassetteEntryError {
                throw CassetteError.unreadable(file: path, line: number + 1, reason: error.reason)
            } catch {
                throw CassetteError.unreadable(file: path, line: number + 1, reason: "\(error)")
            }
        }
        remaining = Mutex(outcomes.mapValues { $0[...] })
        recordedCounts = outcomes.mapValues(\.count)
    }

    /// A provider named after `reference`'s provider that answers from this cassette.
    public func provider(for reference: ModelReference) throws -> any ModelProvider {
        ReplayingModelProvider(name: reference.provider, player: self)
    }

    /// The next recorded outcome of `request`.
    func next(for request: ModelRequest) throws(CassetteError) -> Result<ModelResponse, ModelError> {
        let key = request.json.canonicalString
        let outcome = remaining.withLock { remaining in remaining[key]?.popFirst() }
        if let outcome { return outcome }
        if let times = recordedCounts[key] {
            throw CassetteError.requestReplayedTooOften(file: path, model: request.model, recordedTimes: times)
        }
        let last = request.messages.last.map { String($0.content.prefix(80)) } ?? ""
        throw CassetteError.requestNotRecorded(file: path, model: request.model, lastMessage: last, recorded: recordedCounts.values.reduce(0, +))
    }
}
