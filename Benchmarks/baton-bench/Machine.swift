import Foundation

/// What a reader needs to judge a line: how many cores the process had, and how busy the machine
/// was (a load average above the core count means other processes competed for the CPU, and wall
/// times are inflated; CPU times less so).
enum Machine {
    /// The one-minute load average, or `nil` where it cannot be read.
    static func loadAverage() -> Double? {
        var samples = [Double](repeating: 0, count: 1)
        return getloadavg(&samples, 1) == 1 ? samples[0] : nil
    }

    static func params(loadBefore: Double?) -> [(String, JSONText)] {
        func load(_ value: Double?) -> JSONText { value.map { .number($0, digits: 2) } ?? .json(.null) }
        return [
            ("cores", .int(ProcessInfo.processInfo.activeProcessorCount)),
            ("load_average_1m_before", load(loadBefore)), ("load_average_1m_after", load(loadAverage())),
        ]
    }
}
