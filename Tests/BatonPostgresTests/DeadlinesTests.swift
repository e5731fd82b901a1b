@testable import BatonPostgres
import BatonCore
import Foundation
import Testing

/// Operations past their deadline fail with a clear error while the operation is abandoned;
/// operations within it return their result, however many run at once.
struct DeadlinesTests {
    static let location = try? PostgresLocation(url: "postgres://baton@127.0.0.1:5432/baton")

    /// Waits two minutes whether cancelled or not, as a driver waiting on a dead connection does.
    static func unanswered() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + 120) { continuation.resume() }
        }
    }

    @Test func anOperationThatNeverAnswersFailsAtItsDeadline() async throws {
        let location = try #require(Self.location)
        let deadlines = Deadlines()
        let started = ContinuousClock.now
        do {
            _ = try await deadlines.run(within: .milliseconds(300), location: location) { () async throws -> Int in
                await Self.unanswered()
                return 1
            }
            Issue.record("the operation returned")
        } catch let error as StoreError {
            #expect("\(error)".contains("did not answer within"), "\(error)")
        }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(300))
        // Not a speed check: the timer fires late on a loaded machine (12 s in one CI run, with
        // every suite running at once), but long before the operation would have answered.
        #expect(waited < .seconds(100), "the caller was let go at its deadline, not when the operation ended")
    }

    @Test func operationsWithinTheirDeadlineReturnTheirResults() async throws {
        let location = try #require(Self.location)
        let deadlines = Deadlines()
        let sums = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<200 {
                group.addTask {
                    try await deadlines.run(within: .seconds(30), location: location) {
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
            _ = try await deadlines.run(within: .milliseconds(100), location: location) { () async throws -> Int in
                await Self.unanswered()
                return 1
            }
        }
    }

    /// The timer stops when nothing is watched; an operation after that is bounded by a new one.
    @Test func aDeadlineHoldsAfterTheTimerHasStopped() async throws {
        let location = try #require(Self.location)
        let deadlines = Deadlines()
        #expect(try await deadlines.run(within: .seconds(30), location: location) { 7 } == 7)
        try await Task.sleep(for: Deadlines.resolution * 3)
        await #expect(throws: StoreError.self) {
            _ = try await deadlines.run(within: .milliseconds(100), location: location) { () async throws -> Int in
                await Self.unanswered()
                return 1
            }
        }
    }

    /// Cancelling the caller cancels the operation, which ends with its cancellation.
    @Test func cancellingTheCallerCancelsTheOperation() async throws {
        let location = try #require(Self.location)
        let deadlines = Deadlines()
        let caller = Task {
            try await deadlines.run(within: .seconds(60), location: location) { () async throws -> Int in
                try await Task.sleep(for: .seconds(60))
                return 1
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        let started = ContinuousClock.now
        await #expect(throws: CancellationError.self) { _ = try await caller.value }
        #expect(ContinuousClock.now - started < .seconds(50))
    }
}
