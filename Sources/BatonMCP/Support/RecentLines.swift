/// The last few lines of a stream (a server's standard error), for error messages.
struct RecentLines: Sendable {
    /// How many lines are kept.
    let capacity: Int
    /// The lines kept, oldest first.
    private(set) var lines: [String] = []

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Keeps `line`, forgetting the oldest one if there are more than ``capacity``.
    mutating func append(_ line: String) {
        if lines.count == capacity { lines.removeFirst() }
        lines.append(line)
    }
}
