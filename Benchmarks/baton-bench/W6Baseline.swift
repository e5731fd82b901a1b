/// w6_baseline: the physical floor that the durable workloads are divided by, measured in the
/// same process: 10,000 single-row INSERT transactions on SQLite in WAL mode with
/// `synchronous=FULL` (primary) and with `NORMAL`. Primary: µs per commit. The PostgreSQL
/// parts (local socket and TCP) come with the PostgreSQL issue.
struct W6Baseline: Workload {
    let name = "w6_baseline"
    let summary = "10,000 single-row SQLite WAL transactions, FULL and NORMAL: µs per commit"

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
        return Measurement(
            workload: name, primary: "sqlite_full", figures: figures,
            params: [
                ("commits", .int(commits)), ("warm_up_commits", .int(warmUp)), ("row_bytes", .int(RawSQLiteFloor.rowBytes)),
                ("journal_mode", .string("wal")), ("directory", .string(context.directory.path)), ("quick", .bool(context.quick)),
                ("postgres_socket", .string("not measured yet (comes with the PostgreSQL issue)")),
                ("postgres_tcp", .string("not measured yet (comes with the PostgreSQL issue)")),
            ],
            peakRSSKilobytes: Meter.peakRSSKilobytes()
        )
    }
}
