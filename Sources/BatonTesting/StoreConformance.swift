import BatonCore

/// The behaviour every ``Store`` must have, as one reusable suite: ``InMemoryStore`` (the reference
/// semantics), the SQLite store and the PostgreSQL store all run it.
///
/// Give it a factory that returns a fresh, empty store, authenticating its journal with the
/// ``AuditKey`` it is given when it is given one; every case makes its own store, so cases can
/// run in parallel. Each case throws a ``ConformanceFailure`` that names what differed.
///
/// ```swift
/// import Testing
/// import BatonTesting
///
/// @Test(arguments: StoreConformance.Case.allCases)
/// func conformance(_ check: StoreConformance.Case) async throws {
///     try await StoreConformance { auditKey in InMemoryStore(auditKey: auditKey) }.run(check)
/// }
/// ```
public struct StoreConformance: Sendable {
    /// One behaviour the suite checks. Test targets run each as its own test case, so a new case
    /// is picked up by every store without touching their tests.
    public enum Case: String, Sendable, CaseIterable, CustomStringConvertible {
        case createAndGetRun
        case duplicateRunRefused
        case runsNewestFirstWithFilters
        case workflowsSaveAndGet
        case leaseAcquireRefuseRenewRelease
        case leaseTakeoverAfterExpiryOrDeadProcess
        case commitRefusedWithoutLease
        case commitIsAtomicAndVisible
        case commitAdvancesStatusOutputAndReason
        case eventsChainAcrossEveryWriter
        case eventsPaging
        case effectsRecordedByStepAndIndex
        case signalsDeliveredListedAndConsumed
        case cancelUnleasedRunAtOnce
        case cancelLeasedRunOnlyFlags
        case cancelTerminalRunUnchanged
        case jsonRoundTripsExactly
        case unknownRunIsReported
        case approvalsRequestedOnceAndListed
        case approvalsDecidedOnceWithTheirEvents
        case approvalDeadlinesDecideWhoMayDecide
        case auditTrailIsTheHeadAndEveryEvent
        case auditKeyAuthenticatesEveryWriter

        public var description: String { rawValue }

        /// The key the case's store is made with.
        var auditKey: AuditKey? {
            self == .auditKeyAuthenticatesEveryWriter ? StoreConformance.auditKey : nil
        }
    }

    let makeStore: @Sendable (AuditKey?) async throws -> any Store

    /// - Parameter makeStore: returns a new, empty store each time it is called, with the given
    ///   audit key (`nil`: none).
    public init(makeStore: @escaping @Sendable (_ auditKey: AuditKey?) async throws -> any Store) {
        self.makeStore = makeStore
    }

    /// Runs one case on a fresh store.
    public func run(_ check: Case) async throws {
        let store = try await makeStore(check.auditKey)
        switch check {
        case .createAndGetRun: try await createAndGetRun(store)
        case .duplicateRunRefused: try await duplicateRunRefused(store)
        case .runsNewestFirstWithFilters: try await runsNewestFirstWithFilters(store)
        case .workflowsSaveAndGet: try await workflowsSaveAndGet(store)
        case .leaseAcquireRefuseRenewRelease: try await leaseAcquireRefuseRenewRelease(store)
        case .leaseTakeoverAfterExpiryOrDeadProcess: try await leaseTakeoverAfterExpiryOrDeadProcess(store)
        case .commitRefusedWithoutLease: try await commitRefusedWithoutLease(store)
        case .commitIsAtomicAndVisible: try await commitIsAtomicAndVisible(store)
        case .commitAdvancesStatusOutputAndReason: try await commitAdvancesStatusOutputAndReason(store)
        case .eventsChainAcrossEveryWriter: try await eventsChainAcrossEveryWriter(store)
        case .eventsPaging: try await eventsPaging(store)
        case .effectsRecordedByStepAndIndex: try await effectsRecordedByStepAndIndex(store)
        case .signalsDeliveredListedAndConsumed: try await signalsDeliveredListedAndConsumed(store)
        case .cancelUnleasedRunAtOnce: try await cancelUnleasedRunAtOnce(store)
        case .cancelLeasedRunOnlyFlags: try await cancelLeasedRunOnlyFlags(store)
        case .cancelTerminalRunUnchanged: try await cancelTerminalRunUnchanged(store)
        case .jsonRoundTripsExactly: try await jsonRoundTripsExactly(store)
        case .unknownRunIsReported: try await unknownRunIsReported(store)
        case .approvalsRequestedOnceAndListed: try await approvalsRequestedOnceAndListed(store)
        case .approvalsDecidedOnceWithTheirEvents: try await approvalsDecidedOnceWithTheirEvents(store)
        case .approvalDeadlinesDecideWhoMayDecide: try await approvalDeadlinesDecideWhoMayDecide(store)
        case .auditTrailIsTheHeadAndEveryEvent: try await auditTrailIsTheHeadAndEveryEvent(store)
        case .auditKeyAuthenticatesEveryWriter: try await auditKeyAuthenticatesEveryWriter(store)
        }
    }

    /// Runs every case, one after the other, each on a fresh store; stops at the first failure.
    public func runAll() async throws {
        for check in Case.allCases {
            do {
                try await run(check)
            } catch var failure as ConformanceFailure {
                failure.check = check.rawValue
                throw failure
            }
        }
    }
}
