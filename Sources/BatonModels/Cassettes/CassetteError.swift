/// A cassette that cannot be read or written, or that does not hold the request asked of it.
public enum CassetteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No exchange of the cassette has this request: the conversation went differently than when
    /// it was recorded (another prompt, model, tool or parameter).
    case requestNotRecorded(file: String, model: String, lastMessage: String, recorded: Int)
    /// The request was recorded, but fewer times than it is now asked.
    case requestReplayedTooOften(file: String, model: String, recordedTimes: Int)
    /// A line of the file is not a recorded exchange.
    case unreadable(file: String, line: Int, reason: String)
    /// The file cannot be created or appended to.
    case unwritable(file: String, reason: String)

    public var description: String {
        switch self {
        case let .requestNotRecorded(file, model, lastMessage, recorded):
            return "the cassette \(file) has no recording of this request to \(model) (its last message: \"\(lastMessage)\"; \(recorded) requests recorded): the run differs from the recorded one; record it again with --record \(file)"
        case let .requestReplayedTooOften(file, model, times):
            return "the cassette \(file) recorded this request to \(model) \(times) time(s), and it is asked once more: record the run again with --record \(file)"
        case let .unreadable(file, line, reason):
            return "the cassette \(file) cannot be read at line \(line): \(reason)"
        case let .unwritable(file, reason):
            return "cannot write the cassette \(file): \(reason)"
        }
    }
}
