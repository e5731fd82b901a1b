import BatonCore
import BatonPostgres
import Foundation

/// The PostgreSQL server the PostgreSQL workloads measure: `BATON_BENCH_POSTGRES_URL`, else
/// `BATON_TEST_POSTGRES_URL` (which `scripts/postgres-env.sh` exports, and `scripts/bench.sh`
/// sources it). The Unix socket is the URL's host when that is a directory, else
/// `BATON_BENCH_POSTGRES_SOCKET`, else `BATON_TEST_POSTGRES_SOCKET` when the URL came from
/// `BATON_TEST_POSTGRES_URL` too (both describe the same throwaway server).
///
/// Without a server, w6 reports its PostgreSQL figures as absent and w5 is skipped, unless
/// `BATON_REQUIRE_POSTGRES=1` (CI), where that is a failure.
struct BenchPostgres: Sendable {
    /// The URL as given, schema and all; workloads put their tables in schemas of their own.
    let url: String
    let location: PostgresLocation
    /// The directory holding the server's socket file `.s.PGSQL.<port>`, when known.
    let socketDirectory: String?

    /// Why there is no server, for a skip message or an absent figure's param.
    static let absence = "no PostgreSQL: set BATON_BENCH_POSTGRES_URL or BATON_TEST_POSTGRES_URL (scripts/bench.sh starts a throwaway server)"

    /// Whether a missing server fails the workload instead of being reported (`BATON_REQUIRE_POSTGRES=1`).
    static var isRequired: Bool { ProcessInfo.processInfo.environment["BATON_REQUIRE_POSTGRES"] == "1" }

    /// The server the environment names, `nil` if it names none.
    ///
    /// - Throws: ``BenchFailure`` for a URL that is not a PostgreSQL URL (its message has no password).
    static func fromEnvironment(for workload: String, _ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BenchPostgres? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let bench = value("BATON_BENCH_POSTGRES_URL")
        guard let url = bench ?? value("BATON_TEST_POSTGRES_URL") else { return nil }
        let location: PostgresLocation
        do {
            location = try PostgresLocation(url: url, environment: environment)
        } catch {
            throw BenchFailure(workload: workload, "\(bench == nil ? "BATON_TEST_POSTGRES_URL" : "BATON_BENCH_POSTGRES_URL"): \(error)")
        }
        let socket = location.socketDirectory ?? value("BATON_BENCH_POSTGRES_SOCKET") ?? (bench == nil ? value("BATON_TEST_POSTGRES_SOCKET") : nil)
        return BenchPostgres(url: url, location: location, socketDirectory: socket)
    }

    /// The server, or a ``BenchSkipped`` saying there is none (a ``BenchFailure`` if one is required).
    static func required(for workload: String) throws -> BenchPostgres {
        if let server = try fromEnvironment(for: workload) { return server }
        if isRequired { throw BenchFailure(workload: workload, "\(absence), and BATON_REQUIRE_POSTGRES=1 requires it") }
        throw BenchSkipped(workload: workload, absence)
    }

    /// `postgres://USER@HOST:PORT/DATABASE`, without the password or a schema (the workloads make their own).
    var server: String {
        "postgres://\(location.username)@\(location.socketDirectory ?? location.host):\(location.port)/\(location.database)"
    }

    /// A location in a fresh schema named `prefix_<random>` (a lower-case identifier).
    func freshLocation(prefix: String) throws -> PostgresLocation {
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        return try location.with(schema: "\(prefix)_\(suffix)")
    }
}
