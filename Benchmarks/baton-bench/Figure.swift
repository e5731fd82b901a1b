/// One timed quantity of a workload: how many operations the timed loop did, and the wall and CPU
/// time it took. Wall time comes from the monotonic clock, CPU time (user + system, every thread
/// of the process) from `getrusage`.
struct Figure: Sendable {
    var ops: Int
    /// What one operation is: `node`, `branch`, `commit`.
    var unit: String
    var seconds: Double
    var cpuSeconds: Double

    var microsecondsPerOp: Double { ops > 0 ? seconds * 1e6 / Double(ops) : 0 }
    var cpuMicrosecondsPerOp: Double { ops > 0 ? cpuSeconds * 1e6 / Double(ops) : 0 }

    /// `{"ops", "unit", "seconds", "us_per_op", "cpu_us_per_op"}`, in that order.
    var members: [(String, JSONText)] {
        [
            ("ops", .int(ops)), ("unit", .string(unit)), ("seconds", .number(seconds, digits: 6)),
            ("us_per_op", .number(microsecondsPerOp, digits: 3)), ("cpu_us_per_op", .number(cpuMicrosecondsPerOp, digits: 3)),
        ]
    }
}

extension Figure {
    /// Nothing measured yet, to add timed pieces of one loop to.
    static func zero(unit: String) -> Figure { Figure(ops: 0, unit: unit, seconds: 0, cpuSeconds: 0) }

    static func += (total: inout Figure, part: Figure) {
        total.ops += part.ops
        total.seconds += part.seconds
        total.cpuSeconds += part.cpuSeconds
    }
}
