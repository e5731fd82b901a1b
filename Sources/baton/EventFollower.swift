import BatonCore

/// Follows a run's events from the store and prints each as it is committed.
actor EventFollower {
    private let store: any Store
    private let run: RunID
    private var seen: Int
    private let json: Bool

    init(store: any Store, run: RunID, after: Int = 0, json: Bool = false) {
        self.store = store
        self.run = run
        self.seen = after
        self.json = json
    }

    /// Prints every event committed since the last call.
    func drain() async throws {
        while true {
            let events = try await store.events(run: run, after: seen, limit: 500)
            for event in events {
                print(json ? event.json.canonicalString : EventPrinter.line(event))
            }
            seen = events.last?.seq ?? seen
            if events.count < 500 { return }
        }
    }

    /// Polls until `isDone` says the run has stopped, then prints what is left.
    func follow(every interval: Duration = .milliseconds(100), until isDone: @Sendable () async throws -> Bool) async throws {
        while !Task.isCancelled {
            try await drain()
            if try await isDone() { break }
            try? await Task.sleep(for: interval)
        }
        try await drain()
    }
}
