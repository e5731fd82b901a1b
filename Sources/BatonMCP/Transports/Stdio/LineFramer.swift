/// Cuts a byte stream into lines ended by a line feed, as the stdio transport frames its messages
/// (and as servers write their stderr). A carriage return before the line feed is dropped. A pure
/// value fed chunks of any size.
struct LineFramer: Sendable {
    /// The longest line kept whole, in bytes; a longer one is cut there (see ``append(_:)``).
    let maximumLineLength: Int
    private var pending: [UInt8] = []
    private(set) var overflowed = false

    /// Creates a framer whose lines are cut at `maximumLineLength` bytes (64 MiB by default).
    init(maximumLineLength: Int = 64 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    /// Appends the next bytes and returns the lines they complete, without their line breaks.
    ///
    /// A line longer than ``maximumLineLength`` is returned cut at that length, and
    /// ``overflowed`` becomes true so that a caller for whom a cut line is an error can tell.
    mutating func append(_ chunk: some Collection<UInt8>) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = chunk.startIndex
        while let newline = chunk[start...].firstIndex(of: 0x0A) {
            pending.append(contentsOf: chunk[start..<newline])
            lines.append(takeLine())
            start = chunk.index(after: newline)
        }
        pending.append(contentsOf: chunk[start...])
        while pending.count > maximumLineLength {
            overflowed = true
            lines.append(Array(pending.prefix(maximumLineLength)))
            pending.removeFirst(maximumLineLength)
        }
        return lines
    }

    /// Ends the stream and returns the last line if it had no line break.
    mutating func finish() -> [UInt8]? {
        pending.isEmpty ? nil : takeLine()
    }

    private mutating func takeLine() -> [UInt8] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending.last == 0x0D ? Array(pending.dropLast()) : pending
    }
}
