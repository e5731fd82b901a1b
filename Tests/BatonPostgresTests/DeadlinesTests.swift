@testable import BatonPostgres
import BatonCore
import Foundation
import Testing

/// Operations past their deadline fail with a clear error while the operation is abandoned;
/// operations within it return their result, however many run at once.
struct DeadlinesTests {
    static let location = try? PostgresLocation(url: "postgres://baton@127.0.0.1:5432/baton")

    /// Waits 10 seconds whether cancelled or not, as a driver waiting on a dead connection does.
    static func unanswered() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + 10) { continuation.resume() }
        }
    }

    @Test func anOperationThatNeverAnswersFailsAtItsDeadline() async throws {
        let location = try #require(Self.location)
        let started = ContinuousClock.now
        do {
            _ = try await Deadline.run(within: .milliseconds(300), location: location) { () async throws -> Int in
                await Self.unanswered()
                return 1
            }
            Issue.record("the operation returned")
        } catch let error as StoreError {
            #expect("\(error)".contains("did not answer within"), "\(error)")
        }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(300))
        #expect(waited < .seconds(5), "at its deadline (on a loaded machine, within a few seconds of it)")
    }

    @Test func operationsWithinTheirDeadlineReturnTheirResults() async throws {
        let location = try #require(Self.location)
        let sums = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<200 {
                group.addTask {
                    try await Deadline.run(within: .seconds(30), location: location) {
                        try await Task.sleep(for: .milliseconds(n % 7))
                        return n
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(sums == (0..<200).reduce(0, +))
        // A later operation still gets its deadline.
        try await Task.sleep(for: .milliseconds(300))
        await #expect(throws: StoreError.self) {
            _ = try await Deadline.run(within: .milliseconds(100), location: location) { () async throws -> Int in
                await Self.unanswered()
                return 1
            }
        }
    }
}
