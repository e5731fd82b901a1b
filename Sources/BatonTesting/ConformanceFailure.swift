import BatonCore

/// A store that does not behave as the ``Store`` protocol requires: what was checked, what was
/// expected and what the store did, and where in the suite.
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    /// The case that failed, when known.
    public var check: String?
    public var message: String
    public var file: String
    public var line: Int

    public init(_ message: String, check: String? = nil, file: String = #fileID, line: Int = #line) {
        self.message = message
        self.check = check
        self.file = file
        self.line = line
    }

    public var description: String {
        "store conformance\(check.map { " [\($0)]" } ?? ""): \(message) (\(file):\(line))"
    }
}

/// Small assertion helpers that throw ``ConformanceFailure``, so the suite needs no test framework.
enum Expect {
    static func that(_ condition: Bool, _ message: @autoclosure () -> String, file: String = #fileID, line: Int = #line) throws {
        if !condition { throw ConformanceFailure(message(), file: file, line: line) }
    }

    static func equal<T: Equatable>(_ actual: T, _ expected: T, _ what: String, file: String = #fileID, line: Int = #line) throws {
        if actual != expected {
            throw ConformanceFailure("\(what): expected \(expected), got \(actual)", file: file, line: line)
        }
    }

    /// JSON values must come back with the same canonical bytes, not only compare equal
    /// (`.int(1) == .double(1.0)`).
    static func sameJSON(_ actual: JSON?, _ expected: JSON?, _ what: String, file: String = #fileID, line: Int = #line) throws {
        if actual?.canonicalString != expected?.canonicalString {
            throw ConformanceFailure(
                "\(what): expected \(expected?.canonicalString ?? "nil"), got \(actual?.canonicalString ?? "nil")", file: file, line: line
            )
        }
    }

    /// `body` must throw an ``ApprovalError`` that `matches` accepts.
    static func approvalError<T>(
        _ what: String, file: String = #fileID, line: Int = #line, matching matches: (ApprovalError) -> Bool,
        _ body: () async throws -> T
    ) async throws {
        let value: T
        do {
            value = try await body()
        } catch let error as ApprovalError {
            if matches(error) { return }
            throw ConformanceFailure("\(what): threw the wrong ApprovalError: \(error)", file: file, line: line)
        } catch {
            throw ConformanceFailure("\(what): threw \(type(of: error)) (\(error)), expected an ApprovalError", file: file, line: line)
        }
        throw ConformanceFailure("\(what): expected an ApprovalError, but it returned \(value)", file: file, line: line)
    }

    /// `body` must throw a ``StoreError`` that `matches` accepts.
    static func storeError<T>(
        _ what: String, file: String = #fileID, line: Int = #line, matching matches: (StoreError) -> Bool,
        _ body: () async throws -> T
    ) async throws {
        let value: T
        do {
            value = try await body()
        } catch let error as StoreError {
            if matches(error) { return }
            throw ConformanceFailure("\(what): threw the wrong StoreError: \(error)", file: file, line: line)
        } catch {
            throw ConformanceFailure("\(what): threw \(type(of: error)) (\(error)), expected a StoreError", file: file, line: line)
        }
        throw ConformanceFailure("\(what): expected a StoreError, but it returned \(value)", file: file, line: line)
    }

    static func intact(_ events: [Event], _ what: String, file: String = #fileID, line: Int = #line) throws {
        let verdict = EventChain.verify(events)
        if !verdict.isIntact {
            throw ConformanceFailure("\(what): the event chain is not intact: \(verdict)", file: file, line: line)
        }
    }
}
