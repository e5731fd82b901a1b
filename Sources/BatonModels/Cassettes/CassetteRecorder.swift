import BatonCore
import Foundation
import Synchronization

/// Records model exchanges to a cassette: a JSON Lines file, one exchange a line, that
/// ``CassettePlayer`` plays back offline (`--record FILE`, then `--replay FILE`).
///
/// Each line holds the provider's name, the canonical request (``ModelRequest/json``) and the
/// response (``ModelResponse/json``) or the ``ModelError``; never a header or a key. Several
/// providers can record into one recorder: lines are appended whole, in the order calls end.
///
/// ```swift
/// let recorder = try CassetteRecorder(path: "run.cassette.jsonl")
/// let resolver = recorder.recording(EnvironmentModelResolver(environment: environment))
/// ```
public final class CassetteRecorder: Sendable {
    /// The cassette file.
    public let path: String
    private let file: Mutex<FileHandle>

    /// Creates the file at `path`, replacing one that exists.
    public init(path: String) throws(CassetteError) {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CassetteError.unwritable(file: path, reason: "the file cannot be created (does its folder exist and is it writable?)")
        }
        file = Mutex(handle)
    }

    deinit {
        file.withLock { try? $0.close() }
    }

    /// `provider`, recording every exchange into this cassette.
    public func recording(_ provider: any ModelProvider) -> RecordingModelProvider {
        RecordingModelProvider(wrapping: provider, recorder: self)
    }

    /// A resolver whose providers are `resolver`'s, each recording into this cassette.
    public func recording(_ resolver: any ModelResolver) -> any ModelResolver {
        RecordingResolver(resolver: resolver, recorder: self)
    }

    /// Appends the exchange as one line.
    func append(_ entry: CassetteEntry) throws(CassetteError) {
        let line = Data((entry.json.canonicalString + "\n").utf8)
        let failure: (any Error)? = file.withLock { handle in
            do {
                try handle.write(contentsOf: line)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw CassetteError.unwritable(file: path, reason: "\(failure)") }
    }
}

/// The providers of a resolver, each recording.
private struct RecordingResolver: ModelResolver {
    let resolver: any ModelResolver
    let recorder: CassetteRecorder

    func provider(for reference: ModelReference) throws -> any ModelProvider {
        recorder.recording(try resolver.provider(for: reference))
    }
}
