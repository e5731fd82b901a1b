/// w6_baseline: the physical floor that the durable workloads are divided by, measured in the
/// same process: 10,000 single-row INSERT transactions on SQLite in WAL mode with
/// `synchronous=FULL` (primary) and with `NORMAL`, and on PostgreSQL (``RawPostgresFloor``: an
/// autocommit INSERT per transaction, in a schema of its own) over the local Unix socket and over
/// TCP. Primary: µs per commit.
///
/// Without a PostgreSQL server (``BenchPostgres``), or without a socket or TCP address for it,
/// `postgres_socket` and `postgres_tcp` are absent and a param of the same name says why; with
/// `BATON_REQUIRE_POSTGRES=1` a missing server fails the workload instead.
struct W6Baseline: Workload {
    let name = "w6_baseline"
    let summary = "10,000 single-row transactions: SQLite WAL FULL and NORMAL, PostgreSQL over the socket and TCP: µs per commit"

    func run(_ context: BenchContext) async throws -> Measurement {
        let commits = context.count(10_000, quick: 300)
        let warmUp = context.count(100, quick: 10)
        var figures: [(name: String, figure: Figure)] = []
        for synchronous in RawSQLiteFloor.Synchronous.allCases {
            let figureName = "sqlite_\(synchronous.rawValue.lowercased())"
            var floor = try await RawSQLiteFloor(synchronous, path: context.directory.file("\(figureName).sqlite"))
            _ = try await floor.measure(commits: warmUp)
            figures.append((figureName, try await floor.measure(commits: commits)))
            try await floor.close(checkingFor: name)
        }
        let (postgresFigures, postgresParams) = try await measurePostgres(commits: commits, warmUp: warmUp)
        return Measurement(
            workload: name, primary: "sqlite_full", figures: figures + postgresFigures,
            params: [
                ("commits", .int(commits)), ("warm_up_commits", .int(warmUp)), ("row_bytes", .int(RawSQLiteFloor.rowBytes)),
                ("journal_mode", .string("wal")), ("directory", .string(context.directory.path)), ("quick", .bool(context.quick)),
            ] + postgresParams,
            peakRSSKilobytes: Meter.peakRSSKilobytes()
        )
    }

    /// The PostgreSQL figures that can be measured here, and params saying how (or why not).
    private func measurePostgres(commits: Int, warmUp: Int) async throws -> ([(name: String, figure: Figure)], [(String, JSONText)]) {
        guard let server = try BenchPostgres.fromEnvironment(for: name) else {
            if BenchPostgres.isRequired { throw BenchFailure(workload: name, "\(BenchPostgres.absence), and BATON_REQUIRE_POSTGRES=1 requires it") }
            let absent = JSONText.string("absent: \(BenchPostgres.absence)")
            return ([], [("postgres_socket", absent), ("postgres_tcp", absent)])
        }
        var figures: [(name: String, figure: Figure)] = []
        var params: [(String, JSONText)] = [("postgres", .string(server.server))]
        var settings: RawPostgresFloor.Settings?
        for transport in RawPostgresFloor.Transport.allCases {
            let figureName = "postgres_\(transport.rawValue)"
            if let why = RawPostgresFloor.unavailability(of: transport, on: server) {
                params.append((figureName, .string("absent: \(why)")))
                continue
            }
            var floor = try await RawPostgresFloor(transport, server: server, workload: name)
            _ = try await floor.measure(commits: warmUp)
            figures.append((figureName, try await floor.measure(commits: commits)))
            try await floor.close(checkingFor: name, server: server)
            settings = floor.settings
        }
        if let settings {
            params += [
                ("postgres_transaction", .string("autocommit INSERT")), ("postgres_server_version", .string(settings.serverVersion)),
                ("postgres_synchronous_commit", .string(settings.synchronousCommit)), ("postgres_fsync", .string(settings.fsync)),
                ("postgres_wal_sync_method", .string(settings.walSyncMethod)),
            ]
        }
        return (figures, params)
    }
}
