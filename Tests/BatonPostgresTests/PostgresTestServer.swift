import BatonCore
import BatonPostgres
import Logging
import PostgresNIO
import Foundation
import Subprocess
import SystemPackage

/// The PostgreSQL server the tests use: `BATON_TEST_POSTGRES_URL`, which `scripts/test.sh` sets
/// (starting a throwaway cluster). Without it the tests that need PostgreSQL are skipped, saying so.
enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["BATON_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    static let isAvailable: Bool = {
        if url == nil {
            print("skipped: no PostgreSQL for the tests (BATON_TEST_POSTGRES_URL is not set; scripts/test.sh starts one)")
        }
        return url != nil
    }()

    /// The test stores' bound on an operation. The whole suite at once keeps a 2-core machine's
    /// concurrency pool busy with seconds-long computations for its first seconds, which every
    /// store's opening (its connection and migration) waits behind: 12 s on a quiet machine,
    /// past the default 30 s in one CI run. The tests are not about that bound.
    static let operationTimeout = Duration.seconds(120)

    /// A location in a schema of its own, so that tests running at once never share tables.
    static func location(schema prefix: String = "t") throws -> PostgresLocation {
        guard let url else { throw StoreError.unavailable("BATON_TEST_POSTGRES_URL is not set") }
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        return try PostgresLocation(url: url).with(schema: "\(prefix)_\(suffix)")
    }

    /// A new store in a schema of its own; `body` runs with it and the schema is dropped after.
    static func withStore<T>(
        auditKey: AuditKey? = nil, operationTimeout: Duration = operationTimeout, _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let store = try await PostgresStore(location: try location(), connections: 4, auditKey: auditKey, operationTimeout: operationTimeout)
        do {
            let value = try await body(store)
            try await store.dropSchema()
            store.close()
            return value
        } catch {
            try? await store.dropSchema()
            store.close()
            throw error
        }
    }
}

extension PostgresTestServer {
    /// Whether the server can be restarted from the tests (the throwaway cluster of scripts/test.sh).
    static var canRestart: Bool {
        let environment = ProcessInfo.processInfo.environment
        return isAvailable && environment["BATON_TEST_POSTGRES_BIN"] != nil && environment["BATON_TEST_POSTGRES_DATA"] != nil
    }

    /// Restarts the server (`pg_ctl restart -m fast`, as the cluster's owner), waiting until it is up.
    static func restart() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let bin = environment["BATON_TEST_POSTGRES_BIN"], let data = environment["BATON_TEST_POSTGRES_DATA"] else {
            throw StoreError.unavailable("BATON_TEST_POSTGRES_BIN and BATON_TEST_POSTGRES_DATA are not set")
        }
        let command = ["\(bin)/pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "60", "-l", "\(data)/restart.log", "restart"]
        let asOwner = getuid() == 0 ? environment["BATON_TEST_POSTGRES_USER"] : nil
        let executable = asOwner == nil ? command[0] : "/usr/sbin/runuser"
        let arguments = asOwner.map { ["-u", $0, "--"] + command } ?? Array(command.dropFirst())
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments), output: .discarded, error: .string(limit: 1 << 16)
        )
        guard case .exited(0) = result.terminationStatus else {
            throw StoreError.unavailable("pg_ctl restart ended \(result.terminationStatus): \(result.standardError)")
        }
    }
}

extension PostgresTestServer {
    /// Runs `body` with a client of its own at `location` (as its user), for statements the store
    /// never makes: setting roles up, trying what a role may not do.
    @discardableResult
    static func withClient<T: Sendable>(_ location: PostgresLocation, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: try location.configuration, backgroundLogger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// The SQLSTATE `statement` fails with at `client`, or `nil` when it succeeds.
    static func failure(of statement: String, at client: PostgresClient) async -> String? {
        do {
            try await client.query(PostgresQuery(unsafeSQL: statement))
            return nil
        } catch let error as PSQLError {
            return error.serverInfo?[.sqlState] ?? "\(error.code)"
        } catch {
            return "\(error)"
        }
    }
}
