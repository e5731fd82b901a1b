/// A workload whose result is wrong: the run fails with this message instead of printing a number.
struct BenchFailure: Error, CustomStringConvertible {
    var workload: String
    var message: String

    init(workload: String, _ message: String) {
        self.workload = workload
        self.message = message
    }

    var description: String { "\(workload): \(message)" }
}

/// Throws a ``BenchFailure`` unless `condition` holds.
func expect(_ condition: Bool, in workload: String, _ message: @autoclosure () -> String) throws(BenchFailure) {
    if !condition { throw BenchFailure(workload: workload, message()) }
}
