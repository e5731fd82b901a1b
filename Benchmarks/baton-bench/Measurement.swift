/// What one workload prints: one JSON line.
///
/// `{"workload", "primary", "ops", "unit", "seconds", "us_per_op", "cpu_us_per_op", "peak_rss_kb",
/// "figures": {NAME: {"ops", "unit", "seconds", "us_per_op", "cpu_us_per_op"}}, "params": {…}}`
///
/// `primary` names the figure the workload is judged by; the top-level `ops` … `cpu_us_per_op`
/// repeat that figure. `params` holds the counts the workload ran with, the targets the issues
/// set and the ratios to them, and what is not measured yet.
struct Measurement: Sendable {
    var workload: String
    var primary: String
    var figures: [(name: String, figure: Figure)]
    var params: [(String, JSONText)]
    /// The process's peak resident set size so far (`ru_maxrss`), in KiB.
    var peakRSSKilobytes: Int

    /// The line, or a failure if `primary` names no figure.
    func line() throws -> String {
        guard let main = figures.first(where: { $0.name == primary })?.figure else {
            throw BenchFailure(workload: workload, "the primary figure '\(primary)' was not measured")
        }
        let members: [(String, JSONText)] =
            [("workload", .string(workload)), ("primary", .string(primary))]
            + main.members
            + [
                ("peak_rss_kb", .int(peakRSSKilobytes)),
                ("figures", .object(figures.map { ($0.name, .object($0.figure.members)) })),
                ("params", .object(params)),
            ]
        return JSONText.object(members).text
    }
}
