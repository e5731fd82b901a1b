/// A workload that cannot run here (what it needs is not on this machine): it prints no line, and
/// the runner says why in one line on standard error and goes on without failing.
struct BenchSkipped: Error, CustomStringConvertible {
    var workload: String
    var reason: String

    init(workload: String, _ reason: String) {
        self.workload = workload
        self.reason = reason
    }

    var description: String { "\(workload): \(reason)" }
}
